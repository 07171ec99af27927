//! Outgoing HTTP (webhooks, and the tests' clients): reqwest on rustls with the
//! ring provider (no C toolchain needed, unlike aws-lc), the system's
//! certificates, and the `HTTPS_PROXY` / `NO_PROXY` of the environment (LGWAN
//! networks reach the internet through a proxy).

/// Makes ring the process's TLS provider (once; later calls change nothing).
pub fn install_crypto() {
    if rustls::crypto::ring::default_provider()
        .install_default()
        .is_err()
    {
        // Already installed (by an earlier call): nothing to do.
    }
}

/// A client builder on that provider; reqwest reads the proxy variables itself.
pub fn client_builder() -> reqwest::ClientBuilder {
    install_crypto();
    reqwest::Client::builder()
}
