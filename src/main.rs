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
        _ => {
            let app = Application::build(config).await?;
            app.run_until_stopped().await?;
            tracing::info!("stopped: in-flight requests drained");
            Ok(())
        }
    }
}
