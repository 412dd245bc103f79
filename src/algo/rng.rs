//! The one random number generator of netgraph: seeded, portable (a seed means the same thing
//! in every build and on every machine), no dependency.

/// A small, fast, seedable generator (Steele, Lea & Flood 2014, "SplitMix"); plenty for
/// shuffling node orders, Leiden's random choices, betweenness pivots and generated corpora.
///
/// 64 bits of state, advanced by a fixed odd increment and scrambled by Stafford's "Mix13"
/// finalizer; period 2⁶⁴. Not cryptographic. Outputs are those of the reference
/// `splitmix64.c` (Vigna), so a seed gives the same stream everywhere.
///
/// # Reference
/// G. L. Steele Jr., D. Lea and C. H. Flood, "Fast splittable pseudorandom number
/// generators", OOPSLA 2014.
///
/// # Examples
/// ```
/// use netgraph::algo::rng::SplitMix64;
///
/// let mut a = SplitMix64::new(42);
/// let mut b = SplitMix64::new(42);
/// let order = a.permutation(10);
/// assert_eq!(order, b.permutation(10));
/// let mut sorted = order.clone();
/// sorted.sort();
/// assert_eq!(sorted, (0..10).collect::<Vec<u32>>());
/// ```
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator whose stream is fixed by `seed`; every seed, 0 included, is valid.
    ///
    /// # Complexity
    /// * Time complexity: **O(1)**.
    /// * Auxiliary space: **O(1)**.
    ///
    /// # Examples
    /// ```
    /// use netgraph::algo::rng::SplitMix64;
    ///
    /// let mut a = SplitMix64::new(7);
    /// let mut b = SplitMix64::new(7);
    /// let mut c = SplitMix64::new(8);
    /// let first = a.next_u64();
    /// assert_eq!(first, b.next_u64());
    /// assert_ne!(first, c.next_u64());
    /// ```
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    /// The next 64 random bits.
    ///
    /// # Complexity
    /// * Time complexity: **O(1)**.
    /// * Auxiliary space: **O(1)**.
    ///
    /// # Examples
    /// ```
    /// use netgraph::algo::rng::SplitMix64;
    ///
    /// // The reference splitmix64.c stream for seed 1234567.
    /// let mut rng = SplitMix64::new(1234567);
    /// assert_eq!(rng.next_u64(), 6457827717110365317);
    /// assert_eq!(rng.next_u64(), 3203168211198807973);
    /// assert_eq!(rng.next_u64(), 9817491932198370423);
    /// ```
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number uniform in `0..n`, from one [`next_u64`](Self::next_u64).
    ///
    /// Lemire's multiply-shift without the rejection step: each value is hit by ⌊2⁶⁴/n⌋ or
    /// ⌈2⁶⁴/n⌉ of the 2⁶⁴ inputs, so the bias is below n / 2⁶⁴, under 2⁻³² for n < 2³².
    ///
    /// # Arguments
    /// * `n`: the size of the range; must be at least 1 (`below(0)` returns 0, which is not
    ///   in the empty range).
    ///
    /// # Complexity
    /// * Time complexity: **O(1)**.
    /// * Auxiliary space: **O(1)**.
    ///
    /// # Reference
    /// D. Lemire, "Fast random integer generation in an interval", ACM TOMACS 29 (2019).
    ///
    /// # Examples
    /// ```
    /// use netgraph::algo::rng::SplitMix64;
    ///
    /// // A die: 600 throws stay in 0..6 and show every face.
    /// let mut rng = SplitMix64::new(3);
    /// let mut seen = [0usize; 6];
    /// for _ in 0..600 {
    ///     seen[rng.below(6)] += 1;
    /// }
    /// assert!(seen.iter().all(|&count| count > 50));
    /// // The high bits of the 64-bit draw, scaled: the same draw as next_u64.
    /// let (mut a, mut b) = (SplitMix64::new(9), SplitMix64::new(9));
    /// assert_eq!(a.below(1000) as u128, (b.next_u64() as u128 * 1000) >> 64);
    /// ```
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// A float uniform in [0, 1): the top 53 bits of [`next_u64`](Self::next_u64) times
    /// 2⁻⁵³, so every multiple of 2⁻⁵³ in the range is equally likely.
    ///
    /// # Complexity
    /// * Time complexity: **O(1)**.
    /// * Auxiliary space: **O(1)**.
    ///
    /// # Examples
    /// ```
    /// use netgraph::algo::rng::SplitMix64;
    ///
    /// let (mut a, mut b) = (SplitMix64::new(5), SplitMix64::new(5));
    /// let x = a.next_f64();
    /// assert!((0.0..1.0).contains(&x));
    /// assert_eq!(x, (b.next_u64() >> 11) as f64 / (1u64 << 53) as f64);
    /// ```
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Shuffle `items` in place, every order equally likely (up to the bias of
    /// [`below`](Self::below)).
    ///
    /// The Fisher–Yates shuffle from the back: position i swaps with a uniform j in `0..=i`.
    ///
    /// # Complexity
    /// * Time complexity: **O(n)** for n items (n − 1 draws).
    /// * Auxiliary space: **O(1)**.
    ///
    /// # Reference
    /// R. Durstenfeld, "Algorithm 235: Random permutation", CACM 7 (1964); D. Knuth, *TAOCP*
    /// vol. 2, §3.4.2, Algorithm P.
    ///
    /// # Examples
    /// ```
    /// use netgraph::algo::rng::SplitMix64;
    ///
    /// let mut items: Vec<char> = "abcdefghij".chars().collect();
    /// SplitMix64::new(1).shuffle(&mut items);
    /// let mut again: Vec<char> = "abcdefghij".chars().collect();
    /// SplitMix64::new(1).shuffle(&mut again);
    /// assert_eq!(items, again);
    /// assert_ne!(items.iter().collect::<String>(), "abcdefghij");
    /// items.sort();
    /// assert_eq!(items.iter().collect::<String>(), "abcdefghij");
    /// ```
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }

    /// The node indices `0..n` in random order: [`shuffle`](Self::shuffle) applied to
    /// `0..n`.
    ///
    /// # Complexity
    /// * Time complexity: **O(n)**.
    /// * Auxiliary space: **O(1)** besides the **O(n)** result.
    ///
    /// # Examples
    /// ```
    /// use netgraph::algo::rng::SplitMix64;
    ///
    /// let order = SplitMix64::new(11).permutation(5);
    /// let mut shuffled: Vec<u32> = (0..5).collect();
    /// SplitMix64::new(11).shuffle(&mut shuffled);
    /// assert_eq!(order, shuffled);
    /// let mut sorted = order.clone();
    /// sorted.sort();
    /// assert_eq!(sorted, vec![0, 1, 2, 3, 4]);
    /// ```
    pub fn permutation(&mut self, n: usize) -> Vec<u32> {
        let mut order: Vec<u32> = (0..n as u32).collect();
        self.shuffle(&mut order);
        order
    }
}
