//! HyperLogLog++ as Spark's `HyperLogLogPlusPlusHelper` computes it for
//! `approx_count_distinct`: `p` index bits from the relative error, the
//! value's Spark xxHash64 (seed 42) split into a register index and a
//! leading-zero count, and Spark's estimate (linear counting under its
//! thresholds, else the raw estimate less the interpolated bias of the
//! HLL++ paper's data, [`super::hll_data`]). Registers are kept one per
//! byte (Spark packs ten in a word; the values are the same).

use super::hll_data::{BIASES, RAW_ESTIMATES};
use crate::error::{Error, Result};

/// Spark's linear-counting thresholds, precisions 4 to 18.
const THRESHOLDS: [f64; 15] = [
    10.0, 20.0, 40.0, 80.0, 220.0, 400.0, 900.0, 1800.0, 3100.0, 6500.0, 15500.0, 20000.0, 50000.0,
    120000.0, 350000.0,
];
/// Neighbours the bias is interpolated from.
const K: usize = 6;

/// The index bits for a relative standard deviation `rsd` (Spark's rule);
/// fewer than 4 is Spark's error.
#[allow(clippy::neg_cmp_op_on_partial_ord)] // `!(p >= 4.0)` refuses NaN too
pub fn precision(rsd: f64) -> Result<u8> {
    let p = (2.0 * (1.106 / rsd).ln() / 2f64.ln()).ceil();
    if !(p >= 4.0) {
        return Err(Error::analysis(
            "FAILED_FUNCTION_CALL",
            "Failed preparing of the function `approx_count_distinct` for call: \
             HLL++ requires at least 4 bits for addressing. Use a lower error, at most 39%.",
        ));
    }
    if p > 24.0 {
        return Err(Error::not_supported(format!(
            "approx_count_distinct with a relative error of {rsd} ({p} index bits; at most 24)"
        )));
    }
    Ok(p as u8)
}

/// Offers a value's 64-bit hash to `registers` (`1 << p` of them).
pub fn update(registers: &mut [u8], p: u8, hash: u64) {
    let idx = (hash >> (64 - p)) as usize;
    let w = (hash << p) | (1u64 << (p - 1));
    let pw = w.leading_zeros() as u8 + 1;
    if pw > registers[idx] {
        registers[idx] = pw;
    }
}

pub fn merge(dst: &mut [u8], src: &[u8]) {
    for (d, s) in dst.iter_mut().zip(src) {
        *d = (*d).max(*s);
    }
}

/// Spark's estimate of the number of distinct values.
pub fn estimate(registers: &[u8], p: u8) -> i64 {
    let m = registers.len() as f64;
    let mut z_inverse = 0.0f64;
    let mut v = 0.0f64;
    for &r in registers {
        z_inverse += 1.0 / (1u64 << r) as f64;
        if r == 0 {
            v += 1.0;
        }
    }
    let alpha_m2 = match p {
        4 => 0.673 * m * m,
        5 => 0.697 * m * m,
        6 => 0.709 * m * m,
        _ => (0.7213 / (1.0 + 1.079 / m)) * m * m,
    };
    let e = alpha_m2 / z_inverse;
    let corrected = || {
        if p < 19 && e < 5.0 * m {
            e - bias(e, p)
        } else {
            e
        }
    };
    let est = if v > 0.0 {
        let h = m * (m / v).ln();
        if (p < 19 && h <= THRESHOLDS[p as usize - 4]) || e <= 2.5 * m {
            h
        } else {
            corrected()
        }
    } else {
        corrected()
    };
    java_round(est)
}

/// Java's `Math.round`: floor(x + 0.5).
fn java_round(x: f64) -> i64 {
    (x + 0.5).floor() as i64
}

/// The bias of raw estimate `e`: the mean bias of its `K` nearest
/// neighbours in the paper's data.
fn bias(e: f64, p: u8) -> f64 {
    let est = RAW_ESTIMATES[p as usize - 4];
    let biases = BIASES[p as usize - 4];
    let n = est.len();
    // Java's Arrays.binarySearch: the index of e, or where it would go.
    let nearest = match est.binary_search_by(|x| x.total_cmp(&e)) {
        Ok(i) | Err(i) => i,
    };
    let dist = |i: usize| (e - est[i]) * (e - est[i]);
    let mut low = (nearest as isize - K as isize + 1).max(0) as usize;
    let mut high = (low + K).min(n);
    while high < n && dist(high) < dist(low) {
        low += 1;
        high += 1;
    }
    biases[low..high].iter().sum::<f64>() / (high - low) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precision_follows_the_relative_error() {
        assert_eq!(precision(0.05).unwrap(), 9);
        assert_eq!(precision(0.01).unwrap(), 14);
        assert!(precision(0.5).is_err());
    }

    #[test]
    fn small_counts_are_counted_linearly() {
        let mut r = vec![0u8; 512];
        for h in [1u64 << 63, 1 << 60, 1 << 40, 12345] {
            update(&mut r, 9, h.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        }
        assert_eq!(estimate(&r, 9), 4);
    }
}
