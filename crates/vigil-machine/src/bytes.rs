//! Small byte copies and initialization masks: the scalar sizes copied with fixed-size loads
//! and stores (a copy of a run-time length is a call of `memcpy`, which costs more than a
//! small access around it), and the word-at-a-time test of a mask.

/// Copies `n` bytes from the start of `src` to the start of `dst`: the scalar sizes 1, 2,
/// 4, 8 and 16 as copies of a constant size (inline loads and stores), any other through
/// `copy_from_slice` (a call of `memcpy`, which costs more than a small access around it).
#[inline(always)]
pub fn copy_small(dst: &mut [u8], src: &[u8], n: usize) {
    match n {
        1 => dst[0] = src[0],
        2 => dst[..2].copy_from_slice(&src[..2]),
        4 => dst[..4].copy_from_slice(&src[..4]),
        8 => dst[..8].copy_from_slice(&src[..8]),
        16 => dst[..16].copy_from_slice(&src[..16]),
        n => dst[..n].copy_from_slice(&src[..n]),
    }
}

/// Marks the first `n` bytes of an initialization mask initialized (as `copy_small`).
#[inline(always)]
pub fn fill_init_small(dst: &mut [u8], n: usize) {
    match n {
        1 => dst[0] = 1,
        2 => dst[..2].copy_from_slice(&[1; 2]),
        4 => dst[..4].copy_from_slice(&[1; 4]),
        8 => dst[..8].copy_from_slice(&[1; 8]),
        16 => dst[..16].copy_from_slice(&[1; 16]),
        n => dst[..n].fill(1),
    }
}

/// Whether every byte of an initialization mask is set.
#[inline]
pub fn all_init(mask: &[u8]) -> bool {
    // A word at a time: a word has a zero byte iff `(v - 0x01..01) & !v & 0x80..80` is not 0.
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let (words, rest) = mask.as_chunks::<8>();
    words.iter().all(|w| {
        let v = u64::from_ne_bytes(*w);
        v.wrapping_sub(LOW) & !v & HIGH == 0
    }) && rest.iter().all(|&b| b != 0)
}

/// The little-endian integer of up to 16 bytes, the scalar sizes as fixed-size loads.
#[inline(always)]
pub fn le_int(b: &[u8]) -> u128 {
    match *b {
        [x] => x as u128,
        [a, b] => u16::from_le_bytes([a, b]) as u128,
        [a, b, c, d] => u32::from_le_bytes([a, b, c, d]) as u128,
        _ if b.len() == 8 => u64::from_le_bytes(b.try_into().unwrap()) as u128,
        _ => {
            let mut buf = [0u8; 16];
            buf[..b.len()].copy_from_slice(b);
            u128::from_le_bytes(buf)
        }
    }
}
