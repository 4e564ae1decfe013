use std::path::PathBuf;

use clap::{Parser, Subcommand};
use cognate::config::{Config, ConfigLayer, LogFormat};
use cognate::startup::Application;

/// Cognate: a self-hostable identity server that speaks AWS Cognito's protocols.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Cli {
    /// TOML configuration file (its keys are the snake_case names of the settings).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Address to listen on, host:port.
    #[arg(long, global = true)]
    listen: Option<String>,
    /// sqlite://path or postgres://user@host/db.
    #[arg(long, global = true)]
    database_url: Option<String>,
    /// Base URL that clients reach this server at (token issuer, links).
    #[arg(long, global = true)]
    public_url: Option<String>,
    /// AWS region that Cognate pretends to be.
    #[arg(long, global = true)]
    region: Option<String>,
    /// human or json.
    #[arg(long, global = true)]
    log_format: Option<LogFormat>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the server (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Print the table of AWS operations and whether Cognate supports them, as Markdown.
    Operations,
    /// Re-seal every sealed secret (signing keys, TOTP secrets, client secrets) under a new
    /// master key, in one transaction; then configure COGNATE_MASTER_KEY with the new key
    /// (a local key file is rewritten).
    RotateMasterKey {
        /// The new key: 32 random bytes, base64 (`openssl rand -base64 32`).
        #[arg(long, env = "COGNATE_NEW_MASTER_KEY", hide_env_values = true)]
        new_key: String,
    },
    /// Bearer tokens for the REST admin API (/admin/api/v1).
    AdminToken {
        #[command(subcommand)]
        action: TokenAction,
    },
    /// Print the REST admin API's OpenAPI 3.1 document.
    Openapi,
    /// Create or update the Cognito resources of a SAM / CloudFormation template (YAML or
    /// JSON) by logical id, and print the physical id of each.
    Import {
        /// The template.
        file: PathBuf,
        /// Also write the report (physical ids per logical id, outputs) to this file.
        #[arg(long)]
        outputs: Option<PathBuf>,
        /// The name the resources are remembered under (default: the file's name).
        #[arg(long)]
        stack: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
enum TokenAction {
    /// Make a token and print it (once: only its hash is stored).
    Create {
        #[arg(long)]
        name: String,
    },
    /// List the tokens' names.
    List,
    /// Revoke the token of that name.
    Revoke {
        #[arg(long)]
        name: String,
    },
}

impl Cli {
    fn flags_layer(&self) -> ConfigLayer {
        ConfigLayer {
            listen: self.listen.clone(),
            database_url: self.database_url.clone(),
            public_url: self.public_url.clone(),
            region: self.region.clone(),
            log_format: self.log_format,
            ..ConfigLayer::default()
        }
    }
}

fn load_config(cli: &Cli) -> anyhow::Result<(Config, Vec<String>)> {
    let mut config = Config::default();
    if let Some(path) = &cli.config {
        config = config.apply(ConfigLayer::from_toml_file(path)?);
    }
    let (env_layer, unknown) = ConfigLayer::from_env(std::env::vars())?;
    config = config.apply(env_layer).apply(cli.flags_layer());
    config.validate()?;
    Ok((config, unknown))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Some(Command::Operations) = cli.command {
        print!("{}", cognate::http::aws::operations_markdown());
        return Ok(());
    }
    if let Some(Command::Openapi) = cli.command {
        println!("{}", cognate::http::admin::openapi::json());
        return Ok(());
    }
    let (config, unknown) = match load_config(&cli) {
        Ok(loaded) => loaded,
        Err(e) => {
            eprintln!("cognate: {e}");
            std::process::exit(2);
        }
    };
    cognate::telemetry::init(config.log_format);
    for name in unknown {
        tracing::warn!(variable = %name, "unknown COGNATE_* environment variable ignored");
    }
    match cli.command {
        Some(Command::Migrate) => {
            let sealer = cognate::startup::sealer(&config)?;
            cognate::store::Db::connect(&config.database_url, sealer).await?;
            tracing::info!("migrations applied");
            Ok(())
        }
        Some(Command::RotateMasterKey { ref new_key }) => {
            let moved = cognate::startup::rotate_master_key(&config, new_key).await?;
            tracing::info!(
                values = moved,
                "master key rotated: start the server with the new key"
            );
            Ok(())
        }
        Some(Command::AdminToken { ref action }) => admin_token(&config, action).await,
        Some(Command::Import {
            ref file,
            ref outputs,
            ref stack,
        }) => {
            let report = cognate::startup::import_template(&config, file, stack.as_deref()).await?;
            let json = serde_json::to_string_pretty(&report)?;
            println!("{json}");
            if let Some(path) = outputs {
                std::fs::write(path, json + "\n")?;
            }
            Ok(())
        }
        _ => {
            let app = Application::build(config).await?;
            app.run_until_stopped().await?;
            tracing::info!("stopped: in-flight requests drained");
            Ok(())
        }
    }
}

async fn admin_token(config: &Config, action: &TokenAction) -> anyhow::Result<()> {
    use cognate::service::admin::tokens;
    let sealer = cognate::startup::sealer(config)?;
    let db = cognate::store::Db::connect(&config.database_url, sealer).await?;
    let done = match action {
        TokenAction::Create { name } => tokens::create(&db, name).await.map(|token| {
            println!("{token}");
            eprintln!("admin token {name:?} created: it is shown only this once");
        }),
        TokenAction::List => tokens::list(&db).await.map(|rows| {
            for row in rows {
                println!("{}", row.name);
            }
        }),
        TokenAction::Revoke { name } => tokens::revoke(&db, name).await.map(|()| {
            eprintln!("admin token {name:?} revoked");
        }),
    };
    db.close().await;
    done.map_err(|e| anyhow::anyhow!("{e}"))
}
