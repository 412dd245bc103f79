//! Backbones: the links that carry a weighted graph, so a dense picture is not a hairball.
//!
//! # Disparity filter
//! M. Á. Serrano, M. Boguñá and A. Vespignani, "Extracting the multiscale backbone of complex
//! weighted networks", *PNAS* 106(16) (2009). Node i with degree k_i and strength s_i spreads
//! its strength over its links; the null hypothesis is that the shares p_ij = w_ij / s_i are
//! k_i − 1 uniform cuts of [0, 1]. The probability of a share at least as large as p_ij under
//! it is
//!
//! α_ij = (1 − p_ij)^(k_i − 1)   (eq. 2 of the paper, integrated in closed form).
//!
//! A link is kept when it is significant for at least one of its ends: min(α_ij, α_ji) < α.
//! A node with one link gives α = 1 (its only link is no surprise to it), so such a link
//! stays only when it is significant for the other end, as in the paper.
//!
//! # Strongest links
//! Each node's K heaviest links (ties broken by the neighbour's index, so the result is
//! deterministic); a link is kept when it is among the K of either end. Every non-isolated
//! node keeps at least one link, which the disparity filter does not promise.
//!
//! Both work on an edge list rather than on [`crate::graph::InsightGraph`]: a picture filters
//! the edges among the insights it shows, not the whole graph.

use std::fmt;

/// How to thin out a graph's links.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Backbone {
    /// The disparity filter at significance level `alpha` (in (0, 1)).
    Disparity { alpha: f64 },
    /// Each node's `k` strongest links (`k` ≥ 1).
    Strongest { k: usize },
}

/// The significance level of `--backbone disparity` when none is given, as in the paper.
pub const DEFAULT_ALPHA: f64 = 0.05;

impl Backbone {
    /// Which of `edges` (`(u, v, weight)` over nodes `0..node_count`) the backbone keeps.
    ///
    /// # Panics
    /// If an edge names a node `>= node_count`.
    pub fn keep(&self, node_count: usize, edges: &[(u32, u32, f64)]) -> Vec<bool> {
        match *self {
            Backbone::Disparity { alpha } => disparity_significance(node_count, edges)
                .into_iter()
                .map(|a| a < alpha)
                .collect(),
            Backbone::Strongest { k } => strongest_links(node_count, edges, k),
        }
    }
}

impl Backbone {
    /// The flag value that asks for this backbone (`disparity=0.05`, `top=3`).
    pub fn flag(&self) -> String {
        match self {
            Backbone::Disparity { alpha } => format!("disparity={alpha}"),
            Backbone::Strongest { k } => format!("top={k}"),
        }
    }
}

impl fmt::Display for Backbone {
    /// The words a picture's subtitle uses.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Backbone::Disparity { alpha } => write!(f, "disparity filter, alpha {alpha}"),
            Backbone::Strongest { k: 1 } => write!(f, "each insight's strongest link"),
            Backbone::Strongest { k } => write!(f, "each insight's {k} strongest links"),
        }
    }
}

impl std::str::FromStr for Backbone {
    type Err = String;
    /// `disparity`, `disparity=ALPHA` or `top=K`.
    fn from_str(text: &str) -> Result<Self, String> {
        let (name, value) = match text.split_once('=') {
            Some((name, value)) => (name.trim(), Some(value.trim())),
            None => (text.trim(), None),
        };
        match (name, value) {
            ("disparity", None) => Ok(Backbone::Disparity {
                alpha: DEFAULT_ALPHA,
            }),
            ("disparity", Some(v)) => match v.parse::<f64>() {
                Ok(alpha) if alpha > 0.0 && alpha < 1.0 => Ok(Backbone::Disparity { alpha }),
                _ => Err(format!(
                    "'{v}': the disparity filter's alpha is a significance level between 0 and 1 (exclusive), e.g. disparity=0.05"
                )),
            },
            ("top", Some(v)) => match v.parse::<usize>() {
                Ok(k) if k >= 1 => Ok(Backbone::Strongest { k }),
                _ => Err(format!(
                    "'{v}': top=K keeps each insight's K strongest links; give a whole number of at least 1"
                )),
            },
            ("top", None) => Err("top needs a number: top=K, e.g. top=3".into()),
            _ => Err(format!(
                "unknown backbone '{text}'; use disparity, disparity=ALPHA (e.g. 0.05) or top=K"
            )),
        }
    }
}

/// The disparity filter's significance of every edge: min(α_ij, α_ji), α_ij = (1 −
/// w_ij / s_i)^(k_i − 1). Small is significant; keep edges below the chosen level.
///
/// # Arguments
/// * `node_count`: the nodes are `0..node_count`.
/// * `edges`: `(u, v, weight)`, each undirected edge once, weights > 0.
///
/// # Returns
/// One value in [0, 1] per edge, in the order of `edges`.
///
/// # Complexity
/// * Time complexity: **O(|V| + |E|)**.
/// * Auxiliary space: **O(|V|)**.
///
/// # Reference
/// Serrano, Boguñá & Vespignani, PNAS 106 (2009), eq. 2; see the [module documentation](self).
///
/// # Examples
/// ```
/// use netgraph::algo::backbone::disparity_significance;
///
/// // A star: node 0 holds 8 of its strength 10 on the link to 1. From 0's side
/// // α = (1 - 0.8)^(3-1) = 0.04; node 1 has one link, so its side gives 1.
/// let alpha = disparity_significance(4, &[(0, 1, 8.0), (0, 2, 1.0), (0, 3, 1.0)]);
/// assert!((alpha[0] - 0.04).abs() < 1e-12);
/// assert!((alpha[1] - 0.81).abs() < 1e-12);
/// ```
pub fn disparity_significance(node_count: usize, edges: &[(u32, u32, f64)]) -> Vec<f64> {
    let mut degree = vec![0u32; node_count];
    let mut strength = vec![0.0f64; node_count];
    for &(u, v, w) in edges {
        for x in [u, v] {
            degree[x as usize] += 1;
            strength[x as usize] += w;
        }
    }
    let side = |x: u32, w: f64| -> f64 {
        let (k, s) = (degree[x as usize], strength[x as usize]);
        if k <= 1 || s <= 0.0 {
            return 1.0;
        }
        (1.0 - w / s).max(0.0).powi(k as i32 - 1)
    };
    edges
        .iter()
        .map(|&(u, v, w)| side(u, w).min(side(v, w)))
        .collect()
}

/// Which edges are among the `k` strongest of either end.
///
/// # Arguments
/// * `node_count`: the nodes are `0..node_count`.
/// * `edges`: `(u, v, weight)`, each undirected edge once.
/// * `k`: links kept per node (0 keeps none).
///
/// # Returns
/// One flag per edge, in the order of `edges`. Ties in weight go to the lower neighbour
/// index.
///
/// # Complexity
/// * Time complexity: **O(|E| log Δ)**, Δ the largest degree (one sort per node).
/// * Auxiliary space: **O(|V| + |E|)**.
///
/// # Examples
/// ```
/// use netgraph::algo::backbone::strongest_links;
///
/// // Node 0's strongest link goes to 1; node 2's only link is to 0, so it is kept too.
/// let kept = strongest_links(4, &[(0, 1, 5.0), (0, 2, 1.0), (1, 3, 2.0)], 1);
/// assert_eq!(kept, vec![true, true, true]);
/// let kept = strongest_links(4, &[(0, 1, 5.0), (0, 2, 1.0), (0, 3, 2.0)], 1);
/// assert_eq!(kept, vec![true, true, true]);
/// let kept = strongest_links(3, &[(0, 1, 5.0), (0, 2, 1.0), (1, 2, 2.0)], 1);
/// assert_eq!(kept, vec![true, false, true]);
/// ```
pub fn strongest_links(node_count: usize, edges: &[(u32, u32, f64)], k: usize) -> Vec<bool> {
    // Incidence lists as (node, edge index), grouped by node with one sort.
    let mut ends: Vec<(u32, u32)> = Vec::with_capacity(2 * edges.len());
    for (e, &(u, v, _)) in edges.iter().enumerate() {
        assert!((u as usize) < node_count && (v as usize) < node_count);
        ends.push((u, e as u32));
        ends.push((v, e as u32));
    }
    let other = |x: u32, e: u32| {
        let (u, v, _) = edges[e as usize];
        if u == x {
            v
        } else {
            u
        }
    };
    ends.sort_unstable_by(|&(x, e), &(y, f)| {
        x.cmp(&y)
            .then(edges[f as usize].2.total_cmp(&edges[e as usize].2))
            .then(other(x, e).cmp(&other(y, f)))
    });
    let mut keep = vec![false; edges.len()];
    for group in ends.chunk_by(|a, b| a.0 == b.0) {
        for &(_, e) in group.iter().take(k) {
            keep[e as usize] = true;
        }
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disparity_by_hand() {
        // Triangle 0-1-2 with weights 1, 1, 4 plus a pendant 2-3 of weight 1.
        // Node 2: k=3, s=6. Edge (1,2,4): from 2, (1-4/6)^2 = 1/9; from 1 (k=2, s=5),
        // (1-4/5)^1 = 0.2. Edge (0,1,1): node 0 (k=2, s=2): 0.5; node 1: 0.8.
        let edges = [(0, 1, 1.0), (1, 2, 4.0), (0, 2, 1.0), (2, 3, 1.0)];
        let a = disparity_significance(4, &edges);
        assert!((a[0] - 0.5).abs() < 1e-12);
        assert!((a[1] - 1.0 / 9.0).abs() < 1e-12);
        // (0,2,1): node 0 gives 0.5, node 2 gives (5/6)^2.
        assert!((a[2] - 0.5).abs() < 1e-12);
        // The pendant: node 3 gives 1, node 2 gives (5/6)^2.
        assert!((a[3] - 25.0 / 36.0).abs() < 1e-12);
        let kept = Backbone::Disparity { alpha: 0.2 }.keep(4, &edges);
        assert_eq!(kept, vec![false, true, false, false]);
    }

    #[test]
    fn equal_weights_are_never_significant_at_small_alpha() {
        // A 5-clique with equal weights: every share is 1/4, α = (3/4)^3 ≈ 0.42.
        let mut edges = Vec::new();
        for u in 0..5u32 {
            for v in u + 1..5 {
                edges.push((u, v, 2.0));
            }
        }
        let a = disparity_significance(5, &edges);
        assert!(a.iter().all(|&x| (x - 0.421875).abs() < 1e-12));
        assert!(Backbone::Disparity { alpha: 0.05 }
            .keep(5, &edges)
            .iter()
            .all(|&k| !k));
    }

    #[test]
    fn strongest_links_break_ties_by_neighbour() {
        // A triangle of equal weights: each node keeps its link to the lower neighbour.
        let tri = [(0, 1, 1.0), (1, 2, 1.0), (0, 2, 1.0)];
        // 0 keeps 0-1; 1 keeps 0-1; 2 keeps 0-2 (neighbour 0 < 1).
        assert_eq!(strongest_links(3, &tri, 1), vec![true, false, true]);
        assert_eq!(strongest_links(3, &tri, 2), vec![true, true, true]);
        assert_eq!(strongest_links(3, &tri, 0), vec![false, false, false]);
    }

    #[test]
    fn parses_the_flag() {
        assert_eq!(
            "disparity".parse::<Backbone>().unwrap(),
            Backbone::Disparity { alpha: 0.05 }
        );
        assert_eq!(
            "disparity=0.2".parse::<Backbone>().unwrap(),
            Backbone::Disparity { alpha: 0.2 }
        );
        assert_eq!(
            "top=3".parse::<Backbone>().unwrap(),
            Backbone::Strongest { k: 3 }
        );
        for bad in [
            "disparity=0",
            "disparity=1.5",
            "disparity=x",
            "top=0",
            "top",
            "hub",
        ] {
            assert!(bad.parse::<Backbone>().is_err(), "{bad}");
        }
        assert_eq!(
            Backbone::Disparity { alpha: 0.05 }.to_string(),
            "disparity filter, alpha 0.05"
        );
    }
}
