//! The hosted UI in a real browser: headless Chromium, driven through chromedriver (both
//! Debian's packages, `chromium` and `chromium-driver`), which the test starts itself on a
//! free loopback port. Without them the tests fail where `CI` is set and are skipped, with
//! the reason printed, elsewhere. Set COGNATE_SCREENSHOTS=1 to refresh docs/screenshots/.

#[allow(dead_code, unused_imports)]
#[path = "../api/common/mod.rs"]
mod common;

#[allow(dead_code)]
#[path = "../api/federation_mock.rs"]
mod federation_mock;

mod console_flow;
mod federated_flow;
mod hosted_flow;

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

/// A running chromedriver and a browser session on it; both end when this is dropped.
pub struct Driver {
    pub client: Client,
    process: Child,
}

/// chromedriver runs in a process group of its own, which Chromium joins: ending the group
/// ends the browser too, even when a test panics before it closes its session.
impl Drop for Driver {
    fn drop(&mut self) {
        let group = format!("-{}", self.process.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

fn on_path(name: &str) -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// Chromium and chromedriver, or why the browser tests cannot run.
fn browser_binaries() -> Result<(std::path::PathBuf, std::path::PathBuf), String> {
    let driver = on_path("chromedriver").ok_or("chromedriver is not installed")?;
    let browser = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|n| on_path(n))
        .ok_or("chromium is not installed")?;
    Ok((driver, browser))
}

/// A headless browser, or None (after saying why) where one cannot run outside CI.
pub async fn browser() -> Option<Driver> {
    let (driver, chromium) = match browser_binaries() {
        Ok(found) => found,
        Err(why) if std::env::var_os("CI").is_some() => panic!(
            "{why}: the browser tests need Debian's chromium and chromium-driver \
             (apt-get install chromium chromium-driver); .ci/run installs them"
        ),
        Err(why) => {
            eprintln!(
                "skipping the browser test: {why} (apt-get install chromium chromium-driver)"
            );
            return None;
        }
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut process = Command::new(driver)
        .process_group(0)
        .arg(format!("--port={port}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    // chromedriver says on stdout when it listens; wait for that line, not for a while.
    let stdout = process.stdout.take().unwrap();
    let ready = tokio::task::spawn_blocking(move || {
        BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .any(|l| l.contains("started successfully"))
    });
    let ready = tokio::time::timeout(Duration::from_secs(30), ready).await;
    assert!(matches!(ready, Ok(Ok(true))), "chromedriver did not start");
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--window-size=1280,900",
                     "--force-device-scale-factor=1", "--lang=en-US"],
        }),
    );
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a browser session");
    Some(Driver { client, process })
}

impl Driver {
    /// Ends the browser session: chromedriver closes Chromium.
    pub async fn quit(&self) {
        self.client.clone().close().await.unwrap();
    }

    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.wait_for(css).await;
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    pub async fn click(&self, css: &str) {
        self.wait_for(css).await.click().await.unwrap();
    }

    pub async fn wait_for(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} on the page: {e}"))
    }

    pub async fn text(&self, css: &str) -> String {
        self.wait_for(css).await.text().await.unwrap()
    }

    /// The URL once the browser has arrived at `path`, within a bounded number of looks.
    pub async fn arrived_at(&self, path: &str) -> url::Url {
        for _ in 0..200 {
            let url = self.client.current_url().await.unwrap();
            if url.path() == path {
                return url;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the browser never reached {path}");
    }

    /// Screenshots of the page at desktop and phone widths, into docs/screenshots/ when
    /// COGNATE_SCREENSHOTS is set.
    pub async fn screenshots(&self, name: &str) {
        for (width, height, suffix) in [(1280, 1000, "desktop"), (390, 844, "phone")] {
            self.client.set_window_size(width, height).await.unwrap();
            let png = self.client.screenshot().await.unwrap();
            assert!(
                png.starts_with(&[0x89, b'P', b'N', b'G']),
                "a PNG screenshot"
            );
            if std::env::var_os("COGNATE_SCREENSHOTS").is_some() {
                let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots");
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(dir.join(format!("{name}-{suffix}.png")), png).unwrap();
            }
        }
        self.client.set_window_size(1280, 900).await.unwrap();
    }
}
