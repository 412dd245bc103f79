//! Kept analysis results: centrality scores and community memberships, written back as Neo4j
//! GDS does in write mode, tagged with the parameters and graph version they were computed on.
