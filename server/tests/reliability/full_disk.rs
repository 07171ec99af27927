//! A database on a filesystem that fills up: every write is refused or durable,
//! never acknowledged and then lost; `/healthz` says when writes fail; freeing
//! space is enough to carry on.
//!
//! The filesystem is a small tmpfs mounted in a mount namespace of the test's own
//! (`unshare -m`); the server runs inside it (`nsenter`), and another process fills
//! it. Where namespaces or mounts are not allowed the test says so and passes.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::harness::{Launcher, a_published_nara_advisor};

/// `script` run by `sh` after a tmpfs of `megabytes` is mounted at `dir`, in a
/// mount namespace of its own.
fn in_namespace(dir: &std::path::Path, megabytes: u32, script: &str) -> Command {
    let mut command = Command::new("unshare");
    command
        .args(["-m", "--propagation", "private", "sh", "-c"])
        .arg(format!(
            "mount -t tmpfs -o size={megabytes}m tmpfs '{}' {script}",
            dir.display()
        ));
    command
}

/// Whether this machine lets the test mount a tmpfs in a namespace of its own.
fn can_mount(dir: &std::path::Path) -> bool {
    in_namespace(dir, 1, "")
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A process holding a mount namespace with a tmpfs of `megabytes` at `dir`.
struct Namespace {
    holder: std::process::Child,
}

impl Namespace {
    fn new(dir: &std::path::Path, megabytes: u32) -> Self {
        let mut holder = in_namespace(dir, megabytes, "&& echo ready && exec sleep 900")
            .stdout(Stdio::piped())
            .spawn()
            .expect("unshare");
        let mut line = String::new();
        BufReader::new(holder.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("read");
        assert_eq!(line.trim(), "ready", "tmpfs not mounted");
        Self { holder }
    }

    fn enter(&self) -> Vec<String> {
        ["nsenter", "-t", &self.holder.id().to_string(), "-m", "--"]
            .map(str::to_owned)
            .to_vec()
    }

    fn sh(&self, script: &str) {
        let status = Command::new("nsenter")
            .args([
                "-t",
                &self.holder.id().to_string(),
                "-m",
                "--",
                "sh",
                "-c",
                script,
            ])
            .stderr(Stdio::null())
            .status()
            .expect("nsenter");
        assert!(status.success(), "{script} failed");
    }
}

impl Drop for Namespace {
    fn drop(&mut self) {
        let _ = self.holder.kill();
        let _ = self.holder.wait();
    }
}

fn bio(n: usize) -> String {
    format!("満杯試験その{n}。{}", "記録".repeat(1_400))
}

#[tokio::test]
async fn after_the_disk_fills_every_write_is_refused_or_durable_and_healthz_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mount = dir.path().join("mnt");
    std::fs::create_dir_all(&mount).expect("mount point");
    if !can_mount(&mount) {
        eprintln!(
            "SKIPPED: this machine does not allow a tmpfs in a private mount namespace (unshare -m); the full-disk test needs it"
        );
        return;
    }
    let namespace = Namespace::new(&mount, 64);
    let launcher = Launcher {
        prefix: namespace.enter(),
        data_dir: mount.join("data"),
        env: Vec::new(),
    };
    launcher.run(&["seed", "--demo"]);
    let server = launcher.serve().await;
    let admin = server.sign_in("nara-admin@renkei.example").await;
    let id = a_published_nara_advisor(&server).await;
    let profile = server.url(&format!("/api/advisors/{id}"));

    // Fill the disk, and top it up before each write: the index's background
    // merges free the segments they replace, which must not make room again.
    let fill = |name: &str| {
        namespace.sh(&format!(
            "dd if=/dev/zero of='{}' bs=4k 2>/dev/null; true",
            mount.join(name).display()
        ));
    };
    fill("filler");
    let mut last_acknowledged = None;
    let mut refused = 0;
    for n in 0..200 {
        fill(&format!("filler-{n}"));
        let response = admin
            .patch(&profile)
            .json(&serde_json::json!({ "bio": bio(n) }))
            .send()
            .await
            .expect("patch");
        match response.status().as_u16() {
            200 => last_acknowledged = Some(n),
            500 | 503 => refused += 1,
            other => panic!("unexpected status {other} on a full disk"),
        }
    }
    assert!(refused > 0, "the full disk refused no write");
    let health = reqwest::get(server.url("/healthz")).await.expect("healthz");
    assert_eq!(
        health.status(),
        503,
        "/healthz must report a database that cannot write"
    );

    namespace.sh(&format!("rm -f '{}'/filler*", mount.display()));
    let health = reqwest::get(server.url("/healthz")).await.expect("healthz");
    assert_eq!(
        health.status(),
        200,
        "space was freed: {}",
        server.log_text()
    );
    for n in 20..25 {
        let response = admin
            .patch(&profile)
            .json(&serde_json::json!({ "bio": bio(n) }))
            .send()
            .await
            .expect("patch");
        assert_eq!(response.status(), 200, "a write after space was freed");
        last_acknowledged = Some(n);
    }

    server.kill9();
    let server = launcher.serve().await;
    let admin = server.sign_in("nara-admin@renkei.example").await;
    let stored: serde_json::Value = admin
        .get(server.url(&format!("/api/advisors/{id}")))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}: {}", server.log_text()))
        .json()
        .await
        .expect("json");
    let expected = bio(last_acknowledged.expect("some write was acknowledged"));
    let found = stored["bio"].as_str().unwrap_or_default();
    assert!(
        found == expected,
        "the last acknowledged write must survive a restart: expected 「{}…」, found 「{}…」",
        expected.chars().take(10).collect::<String>(),
        found.chars().take(10).collect::<String>()
    );
    let words: serde_json::Value =
        reqwest::get(server.url("/api/advisors?q=満杯試験その24&prefecture=奈良県"))
            .await
            .expect("search")
            .json()
            .await
            .expect("json");
    // Exactly one advisor has every word of the last write (others with earlier
    // numbers are near matches, listed after it).
    assert_eq!(
        words["exact_total"], 1,
        "the index holds the last write too"
    );
}
