//! Which hash signs a request: MD5 or SHA-256, and how the choice is written
//! in the `X-QF-SIGNTYPE` header. A leaf: the endpoint description, the
//! signer and the client all read it from here.

/// Hash used for the signature.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SignType {
    /// MD5, the server's default when `X-QF-SIGNTYPE` is absent.
    Md5,
    /// SHA-256, recommended by the reference; sent with `X-QF-SIGNTYPE: SHA256`.
    #[default]
    Sha256,
}

impl SignType {
    /// Value of the `X-QF-SIGNTYPE` header, or `None` when the header is not sent (MD5).
    pub const fn header_value(self) -> Option<&'static str> {
        match self {
            SignType::Md5 => None,
            SignType::Sha256 => Some("SHA256"),
        }
    }

    /// The sign type a server must assume for an `X-QF-SIGNTYPE` header value
    /// (absent → MD5). Unknown values give `None`.
    pub fn from_header(value: Option<&str>) -> Option<SignType> {
        match value.map(str::trim) {
            None | Some("") => Some(SignType::Md5),
            Some(v) => v.parse().ok(),
        }
    }

    /// Length of the digest in bytes.
    pub const fn digest_len(self) -> usize {
        match self {
            SignType::Md5 => 16,
            SignType::Sha256 => 32,
        }
    }
}

impl std::str::FromStr for SignType {
    type Err = UnknownSignType;

    /// `md5`, `sha256` or `sha-256`, in any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            _ if s.eq_ignore_ascii_case("md5") => Ok(SignType::Md5),
            _ if s.eq_ignore_ascii_case("sha256") || s.eq_ignore_ascii_case("sha-256") => {
                Ok(SignType::Sha256)
            }
            _ => Err(UnknownSignType(s.chars().take(32).collect())),
        }
    }
}

/// A sign type name that is neither `md5` nor `sha256`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownSignType(String);

impl std::fmt::Display for UnknownSignType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "unknown sign type `{}` (expected `md5` or `sha256`)",
            self.0
        )
    }
}

impl std::error::Error for UnknownSignType {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_and_name_round_trip() {
        assert_eq!(SignType::from_header(None), Some(SignType::Md5));
        assert_eq!(SignType::from_header(Some(" ")), Some(SignType::Md5));
        assert_eq!(
            SignType::from_header(Some("SHA256")),
            Some(SignType::Sha256)
        );
        assert_eq!(
            SignType::from_header(Some("sha-256")),
            Some(SignType::Sha256)
        );
        assert_eq!(SignType::from_header(Some("md5")), Some(SignType::Md5));
        assert_eq!(SignType::from_header(Some("rot13")), None);
        for t in [SignType::Md5, SignType::Sha256] {
            assert_eq!(SignType::from_header(t.header_value()), Some(t));
        }
        assert_eq!("MD5".parse::<SignType>(), Ok(SignType::Md5));
        assert!("x".parse::<SignType>().is_err());
    }
}
