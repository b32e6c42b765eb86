//! What the counting side states answer: Spark's exact percentile (linear
//! interpolation between the two values around the position) and mode.

use std::collections::HashMap;

use super::side::Val;
use crate::types::DataType;

/// Spark's `Percentile` over a count per distinct value (values are double
/// bits): for each percentage p, the value at position (n - 1) * p, linearly
/// interpolated as Spark 4 does it (`lower + (position - floor) * (higher -
/// lower)`, whose rounding differs from the weighted sum). `None` without
/// values.
pub fn percentiles(counts: &HashMap<Val, u64>, percentages: &[f64]) -> Option<Vec<f64>> {
    let mut sorted: Vec<(f64, u64)> = counts
        .iter()
        .filter_map(|(k, n)| match k {
            Val::Fixed(b) => Some((f64::from_bits(*b), *n)),
            Val::Bytes(_) => None,
        })
        .collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut acc = 0u64;
    let cumulative: Vec<u64> = sorted
        .iter()
        .map(|(_, n)| {
            acc += n;
            acc
        })
        .collect();
    let max_position = (acc - 1) as f64;
    // The first value whose cumulative count reaches `c`.
    let at = |c: u64| -> f64 {
        let i = cumulative.partition_point(|&x| x < c).min(sorted.len() - 1);
        sorted[i].0
    };
    Some(
        percentages
            .iter()
            .map(|&p| {
                let position = max_position * p;
                let lower = position.floor();
                let higher = position.ceil();
                let lo = at(lower as u64 + 1);
                if higher == lower {
                    return lo;
                }
                let hi = at(higher as u64 + 1);
                if hi.to_bits() == lo.to_bits() {
                    return lo;
                }
                // Spark 4's form: lower + fraction * (higher - lower).
                lo + (position - lower) * (hi - lo)
            })
            .collect(),
    )
}

/// The most frequent value, the smallest (in `ty`'s order) on ties.
pub fn mode(counts: &HashMap<Val, u64>, ty: &DataType) -> Option<Val> {
    counts
        .iter()
        .max_by(|(a, n), (b, m)| n.cmp(m).then_with(|| b.cmp_as(a, ty)))
        .map(|(v, _)| v.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(xs: &[f64]) -> HashMap<Val, u64> {
        let mut m = HashMap::new();
        for x in xs {
            *m.entry(Val::Fixed(x.to_bits())).or_insert(0) += 1;
        }
        m
    }

    #[test]
    fn percentiles_interpolate_as_spark() {
        let c = counts(&[1.0, 2.0, 3.0, 10.0]);
        assert_eq!(percentiles(&c, &[0.5]).unwrap(), [2.5]);
        let v = percentiles(&c, &[0.1, 0.9]).unwrap();
        assert_eq!(v, [1.3, 7.900000000000001]);
        assert_eq!(percentiles(&HashMap::new(), &[0.5]), None);
    }

    #[test]
    fn mode_takes_the_smallest_of_ties() {
        let c = counts(&[1.0, 2.0, 2.0, 1.0, 3.0]);
        let m = mode(&c, &DataType::Float64).unwrap();
        assert_eq!(m, Val::Fixed(1.0f64.to_bits()));
    }
}
