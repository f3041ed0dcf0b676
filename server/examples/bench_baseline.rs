//! Baseline for `make bench`: a bare axum handler serving fixed bytes (the
//! landing page as rendered by dihya), so SSR throughput is reported as a ratio.
use axum::{Router, http::header, routing::get};

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(addr), Some(file)) = (args.next(), args.next()) else {
        eprintln!("usage: bench_baseline ADDR FILE");
        std::process::exit(2);
    };
    let body: &'static [u8] = Box::leak(
        std::fs::read(&file)
            .expect("read body file")
            .into_boxed_slice(),
    );
    let app = Router::new().route(
        "/",
        get(move || async move { ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body) }),
    );
    let listener = tokio::net::TcpListener::bind(&addr).await.expect("bind");
    println!("baseline listening on {addr}");
    axum::serve(listener, app).await.expect("serve");
}
