//! The classic hosted UI's custom CSS: only the classes Cognito lets a pool restyle, and
//! nothing that could leave the stylesheet (markup, at-rules, scripts in CSS).

/// The selectors SetUICustomization accepts, as Cognito documents them.
pub const ALLOWED_SELECTORS: &[&str] = &[
    ".background-customizable",
    ".banner-customizable",
    ".errorMessage-customizable",
    ".idpButton-customizable",
    ".idpButton-customizable:hover",
    ".idpDescription-customizable",
    ".inputField-customizable",
    ".inputField-customizable:focus",
    ".label-customizable",
    ".legalText-customizable",
    ".logo-customizable",
    ".passwordCheck-notValid-customizable",
    ".passwordCheck-valid-customizable",
    ".redirect-customizable",
    ".socialButton-customizable",
    ".submitButton-customizable",
    ".submitButton-customizable:hover",
    ".textDescription-customizable",
];

fn without_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = match rest[start + 2..].find("*/") {
            Some(end) => &rest[start + 2 + end + 2..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

/// Why `css` is refused, or None when every rule styles an allowed class.
pub fn refusal(css: &str) -> Option<String> {
    let css = without_comments(css);
    let lower = css.to_ascii_lowercase();
    for bad in ["<", "@", "expression(", "javascript:", "\\"] {
        if lower.contains(bad) {
            return Some(format!("The CSS must not contain {bad}"));
        }
    }
    let mut rest = css.as_str();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            return Some("The CSS has a rule without a closing brace.".into());
        };
        for selector in rest[..open].split(',').map(str::trim) {
            if !ALLOWED_SELECTORS.contains(&selector) {
                return Some(format!(
                    "The CSS class {selector} is not one the hosted UI lets you customize."
                ));
            }
        }
        if rest[open + 1..open + close].contains('{') {
            return Some("The CSS nests rules, which the hosted UI does not accept.".into());
        }
        rest = &rest[open + close + 1..];
    }
    (!rest.trim().is_empty()).then(|| "The CSS ends with text outside any rule.".into())
}

#[cfg(test)]
mod tests {
    use super::refusal;

    #[test]
    fn allowed_classes_pass_and_others_are_refused() {
        assert_eq!(
            refusal(".submitButton-customizable { background: #0a7 } /* x */ .label-customizable, .logo-customizable{color:red}"),
            None
        );
        assert!(refusal("body { color: red }").is_some());
        assert!(refusal(".label-customizable { color: red } </style><script>").is_some());
        assert!(refusal("@import url(x); .label-customizable{}").is_some());
        assert!(refusal(".label-customizable { color: red").is_some());
    }
}
