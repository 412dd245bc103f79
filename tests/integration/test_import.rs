//! `netgraph import`.

use crate::common::*;
