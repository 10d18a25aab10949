//! The trend charts' line colours: the server draws the lines, the page draws their legend.

/// The `i`-th line of a trend chart: the whole scope first (the product's red), then one
/// colour per row; rows beyond the palette share a grey.
pub fn line(i: usize) -> &'static str {
    const LINES: [&str; 9] =
        ["#b91c1c", "#2563eb", "#059669", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#65a30d", "#9333ea"];
    LINES.get(i).copied().unwrap_or("#9ca3af")
}
