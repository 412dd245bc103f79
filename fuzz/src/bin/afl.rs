//! Coverage-guided entry point for AFL++ (afl.rs): `afl TARGET` checks each input AFL gives it
//! with [`netgraph_fuzz::check`]. See fuzz/README.md for how to build and run it.

fn main() {
    let target = std::env::args()
        .nth(1)
        .filter(|t| netgraph_fuzz::TARGETS.contains(&t.as_str()))
        .unwrap_or_else(|| {
            eprintln!("usage: afl TARGET, one of {:?}", netgraph_fuzz::TARGETS);
            std::process::exit(2)
        });
    afl::fuzz!(|data: &[u8]| {
        netgraph_fuzz::check(&target, data);
    });
}
