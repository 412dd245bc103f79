//! Kept community partitions.
