//! `netgraph path`: how two insights are connected.

use super::output::{print_csv, print_json, to_stdout, Column, OutputFormat};
use super::Context;
use netgraph::algo::path::strongest_shortest_path;
use netgraph::error::{Error, Result};
use netgraph::store::explore::LinkSource;
use netgraph::store::OpenMode;
use serde::Serialize;

/// The shortest chain of insights from A to B, each link with the sources that make it.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
The chain has the fewest hops; among chains as short, the one whose links are shared by the most
sources in total; then the one with the lowest insight ids. Exit code 3 when A and B are not
connected.

Examples:
  netgraph path 3 17
  netgraph path \"constant dissatisfaction\" \"customer insight newsletter\"
  netgraph path 3 17 --format json")]
pub struct Args {
    /// First insight: id or a piece of its text.
    #[arg(value_name = "A")]
    from: String,
    /// Second insight: id or a piece of its text.
    #[arg(value_name = "B")]
    to: String,
    /// Output format (csv: one row per link).
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
}

#[derive(Serialize)]
struct Step {
    id: i64,
    text: String,
}

#[derive(Serialize)]
struct Link {
    from: i64,
    to: i64,
    weight: f64,
    sources: Vec<LinkSource>,
}

#[derive(Serialize)]
struct Chain {
    hops: usize,
    total_weight: f64,
    insights: Vec<Step>,
    links: Vec<Link>,
}

fn source_name(s: &LinkSource) -> String {
    let title = s.title.clone().unwrap_or_default();
    let place = if s.name.is_empty() {
        s.path.clone()
    } else {
        format!("{} [{}]", s.path, s.name)
    };
    if title.is_empty() || title == s.name {
        place
    } else {
        format!("{title} ({place})")
    }
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let store = ctx.open(OpenMode::Existing)?;
    let (a, b) = (
        store.resolve_insight(&args.from)?,
        store.resolve_insight(&args.to)?,
    );
    let graph = store.load_graph()?;
    let (ia, ib) = (graph.index_of(a), graph.index_of(b));
    let nodes = ia
        .zip(ib)
        .and_then(|(ia, ib)| strongest_shortest_path(&graph, ia, ib))
        .ok_or_else(|| {
            Error::NotFound(format!(
                "no path between #{a} and #{b}: no chain of shared sources connects them"
            ))
        })?;
    let ids: Vec<i64> = nodes.iter().map(|&u| graph.id(u)).collect();
    let details = store.insight_details(&ids)?;
    let mut links = Vec::new();
    for (pair, u) in ids.windows(2).zip(&nodes) {
        let weight = graph
            .neighbors(*u)
            .iter()
            .zip(graph.weights(*u))
            .find(|(&v, _)| graph.id(v) == pair[1])
            .map_or(0.0, |(_, &w)| w);
        links.push(Link {
            from: pair[0],
            to: pair[1],
            weight,
            sources: store.linking_sources(pair[0], pair[1])?,
        });
    }
    let chain = Chain {
        hops: links.len(),
        total_weight: links.iter().map(|l| l.weight).sum(),
        insights: details
            .into_iter()
            .map(|d| Step {
                id: d.id,
                text: d.text,
            })
            .collect(),
        links,
    };
    match args.format {
        OutputFormat::Json => print_json(&chain)?,
        OutputFormat::Csv => {
            let columns = [
                Column::number("from"),
                Column::number("to"),
                Column::number("weight"),
                Column::text("sources"),
            ];
            let rows: Vec<Vec<String>> = chain
                .links
                .iter()
                .map(|l| {
                    let names: Vec<String> = l.sources.iter().map(source_name).collect();
                    vec![
                        l.from.to_string(),
                        l.to.to_string(),
                        l.weight.to_string(),
                        names.join("; "),
                    ]
                })
                .collect();
            print_csv(&columns, &rows)?;
        }
        OutputFormat::Table => to_stdout(|w| {
            writeln!(
                w,
                "{} hops, {} shared sources along the way",
                chain.hops, chain.total_weight
            )?;
            for (i, step) in chain.insights.iter().enumerate() {
                writeln!(w, "#{:<6} {}", step.id, step.text)?;
                if let Some(link) = chain.links.get(i) {
                    writeln!(
                        w,
                        "   |  together in {} source{}:",
                        link.weight,
                        if link.weight == 1.0 { "" } else { "s" }
                    )?;
                    for s in &link.sources {
                        writeln!(w, "   |    {}", source_name(s))?;
                    }
                }
            }
            Ok(())
        })?,
    }
    Ok(0)
}
