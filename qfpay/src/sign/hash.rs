//! `hash(message ‖ key)` with MD5 or SHA-256 through the `md-5` and `sha2`
//! crates' `Digest` API. Nothing here knows about HTTP.
//!
//! The hashers are built with their crates' `zeroize` feature, so the block
//! buffer that last held key bytes is wiped when they are dropped; the key is
//! never copied anywhere else.

use md5::Md5;
use sha2::{Digest, Sha256};

use crate::endpoint::WriteParams;
use crate::wire::WirePairs;

use super::canonical::{CanonicalOut, CanonicalWriter};
use super::{ClientKey, SignType, Signature};

/// `hash(message ‖ key)`.
pub(super) fn hash_message(sign_type: SignType, message: &[u8], key: &ClientKey) -> Signature {
    fn with<D: Digest>(message: &[u8], key: &ClientKey) -> Signature {
        let mut digest = D::new();
        digest.update(message);
        digest.update(key.bytes());
        Signature::from_digest(&digest.finalize())
    }
    match sign_type {
        SignType::Md5 => with::<Md5>(message, key),
        SignType::Sha256 => with::<Sha256>(message, key),
    }
}

/// `hash(canonical string of request ‖ key)`, the canonical string written
/// into the hash as it is produced: no `String`, no allocation.
pub(super) fn hash_request<P: WriteParams + ?Sized>(
    sign_type: SignType,
    request: &P,
    key: &ClientKey,
) -> Signature {
    fn with<D: Digest, P: WriteParams + ?Sized>(request: &P, key: &ClientKey) -> Signature {
        let mut staged = Staged::<D>::new();
        let mut pairs = WirePairs::new(CanonicalWriter::new(&mut staged));
        request.write_params(&mut pairs);
        // A refused value matters only to the client, which then sends
        // nothing; this signs what would be written.
        let _ = pairs.finish();
        staged.finish(key)
    }
    match sign_type {
        SignType::Md5 => with::<Md5, P>(request, key),
        SignType::Sha256 => with::<Sha256, P>(request, key),
    }
}

/// Bytes gathered on the stack before they reach the hash.
const STAGE: usize = 512;

/// A hasher fed through a stack buffer. The canonical string arrives in
/// many short pieces (`&`, a name, `=`, a value); one `update` with all of
/// them costs less than an `update` per piece. An ordinary request fits the
/// buffer whole; a longer one passes through it in buffer-sized updates.
struct Staged<D> {
    digest: D,
    buf: [u8; STAGE],
    len: usize,
}

impl<D: Digest> Staged<D> {
    fn new() -> Self {
        Staged {
            digest: D::new(),
            buf: [0; STAGE],
            len: 0,
        }
    }

    /// Hashes what the buffer holds and empties it.
    fn flush(&mut self) {
        self.digest.update(&self.buf[..self.len]);
        self.len = 0;
    }

    /// `hash(staged bytes ‖ key)`; the key goes to the hasher directly.
    fn finish(mut self, key: &ClientKey) -> Signature {
        self.flush();
        self.digest.update(key.bytes());
        Signature::from_digest(&self.digest.finalize())
    }
}

impl<D: Digest> CanonicalOut for Staged<D> {
    #[inline]
    fn put(&mut self, text: &str) {
        let bytes = text.as_bytes();
        match self.buf.get_mut(self.len..self.len + bytes.len()) {
            Some(room) => {
                room.copy_from_slice(bytes);
                self.len += bytes.len();
            }
            None => self.put_past_the_end(bytes),
        }
    }
}

impl<D: Digest> Staged<D> {
    /// `put` of bytes that do not fit in what is left of the buffer: out of
    /// line, so that the common path stays small enough to inline.
    #[cold]
    #[inline(never)]
    fn put_past_the_end(&mut self, bytes: &[u8]) {
        self.flush();
        if bytes.len() > STAGE {
            self.digest.update(bytes);
        } else {
            self.buf[..bytes.len()].copy_from_slice(bytes);
            self.len = bytes.len();
        }
    }
}
