//! [`sign`](super::sign)'s hot path: the canonical string is written onto a
//! stack buffer, the key and the hash padding after it, and the blocks are
//! run straight through the hash crate's compression function.
//!
//! Going through `Digest` instead costs a second copy of every byte into the
//! hasher's own block buffer, a call into the compression function per
//! `update` and per `finalize` (for hardware SHA-256, each call loads and
//! stores the state), and the buffer bookkeeping: at 7 parameters, about as
//! much as writing the canonical string. The compression functions, and so the hash,
//! are `md-5`'s and `sha2`'s; this module only lays out the message (RFC 1321
//! §3.1–3.2, FIPS 180-4 §5.1.1). Unit tests in `sign.rs` check it against
//! `Digest` for every length around each block and buffer boundary.

use zeroize::Zeroize;

use super::{ClientKey, NAME_VALUE_SEPARATOR, PAIR_SEPARATOR, Signature, is_sent};
use crate::param::PairSink;

#[cfg(debug_assertions)]
use super::OrderCheck;

/// Bytes of one block of MD5 and SHA-256.
const BLOCK: usize = 64;

/// Blocks the stage holds: 512 bytes, enough for any ordinary request; a
/// longer one is hashed in stage-sized steps.
const BLOCKS: usize = 8;

/// Stage size: one byte for the first pair's `&`, which is written and never
/// hashed (it keeps a "first pair?" branch out of the per-pair path), then
/// the blocks.
pub(super) const STAGE: usize = 1 + BLOCKS * BLOCK;

/// A Merkle–Damgård hash with 64-byte blocks, driven block by block.
pub(super) trait BlockHash {
    /// The chaining state.
    type State: Copy;
    /// The initial state.
    const INIT: Self::State;
    /// The message length in bits, as the last 8 bytes of the padding.
    fn length_bytes(bits: u64) -> [u8; 8];
    /// Runs `blocks` through the compression function.
    fn compress(state: &mut Self::State, blocks: &[[u8; BLOCK]]);
    /// The digest of a final state.
    fn signature(state: &Self::State) -> Signature;
}

/// MD5 (RFC 1321): little-endian length and output words.
pub(super) struct Md5Blocks;

impl BlockHash for Md5Blocks {
    type State = [u32; 4];
    const INIT: [u32; 4] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476];

    #[inline(always)]
    fn length_bytes(bits: u64) -> [u8; 8] {
        bits.to_le_bytes()
    }

    #[inline(always)]
    fn compress(state: &mut [u32; 4], blocks: &[[u8; BLOCK]]) {
        md5::block_api::compress(state, blocks);
    }

    #[inline(always)]
    fn signature(state: &[u32; 4]) -> Signature {
        digest_of(state, u32::to_le_bytes)
    }
}

/// SHA-256 (FIPS 180-4): big-endian length and output words.
pub(super) struct Sha256Blocks;

impl BlockHash for Sha256Blocks {
    type State = [u32; 8];
    const INIT: [u32; 8] = [
        0x6a09_e667,
        0xbb67_ae85,
        0x3c6e_f372,
        0xa54f_f53a,
        0x510e_527f,
        0x9b05_688c,
        0x1f83_d9ab,
        0x5be0_cd19,
    ];

    #[inline(always)]
    fn length_bytes(bits: u64) -> [u8; 8] {
        bits.to_be_bytes()
    }

    #[inline(always)]
    fn compress(state: &mut [u32; 8], blocks: &[[u8; BLOCK]]) {
        sha2::block_api::compress256(state, blocks);
    }

    #[inline(always)]
    fn signature(state: &[u32; 8]) -> Signature {
        digest_of(state, u32::to_be_bytes)
    }
}

/// The digest made of a final state's words, each written with `to_bytes`.
#[inline(always)]
fn digest_of(words: &[u32], to_bytes: fn(u32) -> [u8; 4]) -> Signature {
    let mut bytes = [0u8; 32];
    for (out, &word) in bytes.chunks_exact_mut(4).zip(words) {
        out.copy_from_slice(&to_bytes(word));
    }
    Signature {
        bytes,
        len: (4 * words.len()) as u8,
    }
}

/// The sink of [`sign`](super::sign): stages `&name=value` pairs (one bounds
/// check each) and hashes full stages as it goes. It never has an extra pair
/// and ignores rejections. The stage is borrowed, so the sink stays small.
///
/// A block is hashed once two more blocks have been written after it: the
/// hash (a chain of dependent rounds) then runs while the next pairs are
/// written, and it reads bytes that have left the store buffer. Hashing each
/// block as soon as it was complete measured slower (SHA-256 waited for the
/// stores it read); hashing everything at the end, slower still on long
/// requests (nothing overlapped). `cargo bench --bench signing` compares.
pub(super) struct StageSink<'s, H: BlockHash> {
    stage: &'s mut [u8; STAGE],
    /// `stage[done..len]` is written and not yet hashed.
    len: usize,
    done: usize,
    /// Message bytes already hashed.
    hashed: u64,
    state: H::State,
    /// Stage `name=` for an empty value instead of leaving the pair out.
    keep_empty: bool,
    #[cfg(debug_assertions)]
    order: OrderCheck,
}

impl<'s, H: BlockHash> StageSink<'s, H> {
    #[inline(always)]
    pub(super) fn new(stage: &'s mut [u8; STAGE]) -> Self {
        StageSink {
            stage,
            len: 0,
            done: 1,
            hashed: 0,
            state: H::INIT,
            keep_empty: false,
            #[cfg(debug_assertions)]
            order: OrderCheck::default(),
        }
    }

    /// Keep pairs with an empty value (see [`SignBuffer::keep_empty_values`](super::SignBuffer::keep_empty_values)).
    pub(super) fn keeping_empty(mut self, keep: bool) -> Self {
        self.keep_empty = keep;
        self
    }

    /// Hashes the complete blocks staged and moves the rest (under a block)
    /// to the front.
    fn compress_staged(&mut self) {
        let data = self.stage.get(self.done..self.len).unwrap_or_default();
        let (blocks, rest) = data.as_chunks::<BLOCK>();
        H::compress(&mut self.state, blocks);
        let (done, rest) = (blocks.len() * BLOCK, rest.len());
        self.hashed += done as u64;
        self.stage
            .copy_within(self.done + done..self.done + done + rest, 1);
        self.len = 1 + rest;
        self.done = 1;
    }

    /// Appends `bytes` whatever their length, hashing full stages on the way.
    #[cold]
    #[inline(never)]
    fn append_slow(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            if self.len == STAGE {
                self.compress_staged();
            }
            let n = (STAGE - self.len).min(bytes.len());
            let (now, later) = bytes.split_at(n);
            self.stage[self.len..self.len + n].copy_from_slice(now);
            self.len += n;
            bytes = later;
        }
    }

    #[cold]
    #[inline(never)]
    fn pair_slow(&mut self, name: &[u8], value: &[u8]) {
        for piece in [&[PAIR_SEPARATOR][..], name, &[NAME_VALUE_SEPARATOR], value] {
            self.append_slow(piece);
        }
    }

    /// Stages raw message bytes (instead of pairs), hashing the whole
    /// blocks of a long message straight from where it is.
    pub(super) fn message(&mut self, message: &[u8]) {
        self.len = self.len.max(1);
        let mut rest = message;
        if self.len == self.done && rest.len() >= STAGE {
            let (blocks, tail) = rest.as_chunks::<BLOCK>();
            H::compress(&mut self.state, blocks);
            self.hashed += (blocks.len() * BLOCK) as u64;
            rest = tail;
        }
        self.append(rest);
    }

    #[inline(always)]
    fn append(&mut self, bytes: &[u8]) {
        let end = self.len + bytes.len();
        match self.stage.get_mut(self.len..end) {
            Some(room) => {
                copy_short(room, bytes);
                self.len = end;
            }
            None => self.append_slow(bytes),
        }
    }

    /// `hash(canonical ‖ key)`: the key and the padding are staged after the
    /// canonical string, every remaining block is hashed in one call, and
    /// the staged key bytes are wiped.
    #[inline(always)]
    pub(super) fn finish(mut self, key: &ClientKey) -> Signature {
        // With no pair at all, nothing sits at `stage[0]` to skip.
        self.len = self.len.max(1);
        let key = key.bytes();
        let (key_at, hashed_before_key) = (self.len, self.hashed);
        self.append(key);
        let message_len = self.hashed + (self.len - self.done) as u64;
        // 0x80, then zeros up to 56 mod 64, then the length in bits.
        let zeros = (2 * BLOCK - 8 - 1 - (message_len % BLOCK as u64) as usize) % BLOCK;
        let mut padding = [0u8; 1 + BLOCK + 8];
        padding[0] = 0x80;
        padding[1 + zeros..1 + zeros + 8]
            .copy_from_slice(&H::length_bytes(message_len.wrapping_mul(8)));
        self.append(&padding[..1 + zeros + 8]);
        // A stage hashed since the key was staged may have moved key bytes.
        let key_moved = self.hashed != hashed_before_key;
        self.compress_staged();
        let signature = H::signature(&self.state);
        match self.stage.get_mut(key_at..key_at + key.len()) {
            Some(staged_key) if !key_moved => staged_key.zeroize(),
            _ => self.stage.zeroize(),
        }
        signature
    }
}

impl<H: BlockHash> PairSink for StageSink<'_, H> {
    #[inline(always)]
    fn pair(&mut self, name: &str, value: &str) {
        if !is_sent(value, self.keep_empty) {
            return;
        }
        #[cfg(debug_assertions)]
        self.order.check(name);
        let (name, value) = (name.as_bytes(), value.as_bytes());
        let end = self.len + name.len() + value.len() + 2;
        let Some(room) = self.stage.get_mut(self.len..end) else {
            return self.pair_slow(name, value);
        };
        let (separator, rest) = room.split_at_mut(1);
        separator[0] = PAIR_SEPARATOR;
        let (name_room, rest) = rest.split_at_mut(name.len());
        copy_short(name_room, name);
        let (equals, value_room) = rest.split_at_mut(1);
        equals[0] = NAME_VALUE_SEPARATOR;
        copy_short(value_room, value);
        self.len = end;
        // Two blocks behind the writing (see above).
        if end >= self.done + 3 * BLOCK {
            let block = self
                .stage
                .get(self.done..self.done + BLOCK)
                .unwrap_or_default();
            H::compress(&mut self.state, block.as_chunks::<BLOCK>().0);
            self.done += BLOCK;
            self.hashed += BLOCK as u64;
        }
    }
}

/// `dst.copy_from_slice(src)` for slices of equal length, without a call
/// to `memcpy` for the short names and values parameters are made of: two
/// overlapping fixed-size copies cover any length up to twice their size.
#[inline(always)]
fn copy_short(dst: &mut [u8], src: &[u8]) {
    /// Loads both `N`-byte ends of `src` before storing them, so each is one
    /// register move rather than a call.
    #[inline(always)]
    fn ends<const N: usize>(dst: &mut [u8], src: &[u8]) {
        let n = src.len();
        let (Some(head), Some(tail)) = (src.first_chunk::<N>(), src.last_chunk::<N>()) else {
            return;
        };
        let (head, tail) = (*head, *tail);
        if let Some(d) = dst.first_chunk_mut::<N>() {
            *d = head;
        }
        if let Some(d) = dst.get_mut(n - N..).and_then(|d| d.first_chunk_mut::<N>()) {
            *d = tail;
        }
    }
    let n = src.len();
    if n > 32 || n != dst.len() {
        // (Unequal lengths panic here, as `copy_from_slice` always does.)
        dst.copy_from_slice(src);
    } else if n >= 16 {
        ends::<16>(dst, src);
    } else if n >= 8 {
        ends::<8>(dst, src);
    } else if n >= 4 {
        ends::<4>(dst, src);
    } else {
        for (d, s) in dst.iter_mut().zip(src) {
            *d = *s;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// After signing, the stage holds no copy of the key, whether the key
    /// sat in one place or was moved by hashing a full stage.
    #[test]
    fn the_staged_key_is_wiped() {
        let key_text = "0E32A59A8B454940A2FF3900C1D2E3F4";
        let key = ClientKey::new(key_text);
        for len in [0, 1, 10, 100, 440, 470, 480, 490, 500, 510, 520, 1500] {
            let value = "v".repeat(len);
            let mut stage = [0u8; STAGE];
            let mut sink = StageSink::<Sha256Blocks>::new(&mut stage);
            sink.pair("a", &value);
            let _ = sink.finish(&key);
            let found = stage
                .windows(8)
                .any(|w| key_text.as_bytes().windows(8).any(|k| k == w));
            assert!(!found, "key bytes left on the stage (value length {len})");
        }
    }
}
