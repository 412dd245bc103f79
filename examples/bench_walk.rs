//! Time of finding the files an import reads (`netgraph::import::walk`) alone, without the
//! per-file stat and the database that an unchanged re-import adds.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --pages 100000 --out /tmp/corpus100k
//! cargo run --release --example bench_walk -- /tmp/corpus100k [ROUNDS] [FORMAT]
//! ```
//!
//! Prints the files found and the median, minimum and maximum walk time over ROUNDS (default
//! 10) after one warm-up walk; FORMAT (default auto) is the import's `--format`.

use netgraph::import::{walk, WalkOptions};
use netgraph::parse::InputFormat;
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: bench_walk DIR [ROUNDS] [FORMAT]");
        std::process::exit(2);
    };
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(10);
    let format = args
        .next()
        .and_then(|f| InputFormat::from_name(&f))
        .unwrap_or(InputFormat::Auto);
    let options = WalkOptions::default();
    let paths = [dir];
    let warm = walk(&paths, format, &options);
    let mut ms: Vec<f64> = (0..rounds.max(1))
        .map(|_| {
            let start = Instant::now();
            let found = walk(&paths, format, &options);
            let elapsed = start.elapsed().as_secs_f64() * 1e3;
            assert_eq!(found.files.len(), warm.files.len(), "the folder changed");
            elapsed
        })
        .collect();
    ms.sort_by(f64::total_cmp);
    println!(
        "{} files, {} left out for their extension, {} problems; walk median {:.1} ms, min {:.1} ms, max {:.1} ms ({} rounds)",
        warm.files.len(),
        warm.ignored,
        warm.problems.len(),
        ms[ms.len() / 2],
        ms[0],
        ms[ms.len() - 1],
        ms.len()
    );
}
