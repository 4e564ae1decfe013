//! The hosted pages' words, in the language `lang` asks for: English, and French.

/// Every string a hosted page shows.
pub struct Texts {
    pub lang: &'static str,
    pub sign_in_title: &'static str,
    pub sign_in_lead: &'static str,
    pub username: &'static str,
    pub password: &'static str,
    pub sign_in: &'static str,
    pub code_title: &'static str,
    pub code_lead_totp: &'static str,
    pub code_lead_sent: &'static str,
    pub code: &'static str,
    pub verify: &'static str,
    pub new_password_title: &'static str,
    pub new_password_lead: &'static str,
    pub new_password: &'static str,
    pub set_password: &'static str,
    pub password_rules: &'static str,
    pub error_title: &'static str,
    pub error_lead: &'static str,
    pub unsupported_step: &'static str,
}

pub const EN: Texts = Texts {
    lang: "en",
    sign_in_title: "Sign in",
    sign_in_lead: "Sign in with your username and password",
    username: "Username",
    password: "Password",
    sign_in: "Sign in",
    code_title: "Enter your code",
    code_lead_totp: "Enter the code from your authenticator app.",
    code_lead_sent: "We sent a code to",
    code: "Code",
    verify: "Verify",
    new_password_title: "Choose a new password",
    new_password_lead: "You must choose a new password before you continue.",
    new_password: "New password",
    set_password: "Set password",
    password_rules: "Password requirements",
    error_title: "Something went wrong",
    error_lead: "The sign-in page could not continue.",
    unsupported_step: "This sign-in step is not available on the hosted pages yet.",
};

pub const FR: Texts = Texts {
    lang: "fr",
    sign_in_title: "Connexion",
    sign_in_lead: "Connectez-vous avec votre nom d'utilisateur et votre mot de passe",
    username: "Nom d'utilisateur",
    password: "Mot de passe",
    sign_in: "Se connecter",
    code_title: "Saisissez votre code",
    code_lead_totp: "Saisissez le code de votre application d'authentification.",
    code_lead_sent: "Nous avons envoyé un code à",
    code: "Code",
    verify: "Vérifier",
    new_password_title: "Choisissez un nouveau mot de passe",
    new_password_lead: "Vous devez choisir un nouveau mot de passe pour continuer.",
    new_password: "Nouveau mot de passe",
    set_password: "Enregistrer",
    password_rules: "Exigences du mot de passe",
    error_title: "Une erreur est survenue",
    error_lead: "La page de connexion n'a pas pu continuer.",
    unsupported_step: "Cette étape de connexion n'est pas encore disponible ici.",
};

/// The texts for `lang` (a tag such as `fr` or `fr-CA`); English when unknown.
pub fn texts(lang: Option<&str>) -> &'static Texts {
    match lang.map(|l| l.split(['-', '_']).next().unwrap_or(l).to_ascii_lowercase()) {
        Some(l) if l == "fr" => &FR,
        _ => &EN,
    }
}
