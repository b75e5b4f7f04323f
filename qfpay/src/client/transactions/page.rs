//! One page of [`Client::transactions`](super::Client::transactions) as a
//! fetch brings it: the query sent through the client's usual call, the
//! reply's records counted in the pass that checks its envelope, and
//! decoded later by the reader.

use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::api::{Query, TradeRecord};
use crate::endpoint::{Endpoint, EndpointSpec, StaticEndpoint, WriteParams};
use crate::error::Error;
use crate::param::PairSink;
use crate::response::object::decode_with_envelope;
use crate::response::{DecodeResponse, Envelope};
use crate::transport::excerpt;

/// A [`Query`] for one page, answered as a [`RawPage`]: the same request,
/// signed, sent, retried and traced as [`Client::call`](super::Client::call)
/// does any query.
pub(super) struct PageQuery(pub(super) Query);

impl WriteParams for PageQuery {
    const PARAM_NAMES: &'static [&'static str] = Query::PARAM_NAMES;

    fn write_params<S: PairSink + ?Sized>(&self, out: &mut S) {
        self.0.write_params(out)
    }
}

impl Endpoint for PageQuery {
    type Response = RawPage;

    fn spec(&self) -> EndpointSpec<'_> {
        Query::SPEC
    }
}

/// A query reply as a fetch brings it: the body, kept as received, and
/// its number of records, counted in the one pass over the body that also
/// reads the envelope (which the client checks as for any call). Its
/// records are decoded later, by [`records`](Self::records).
pub(super) struct RawPage {
    body: Vec<u8>,
    /// Records in `data`.
    pub(super) len: usize,
    /// `data` is an array, the usual case: decoded in place.
    array: bool,
}

impl DecodeResponse for RawPage {
    fn decode(body: &[u8]) -> Result<Self, serde_json::Error> {
        Self::__decode_with_envelope(body).map(|(page, _)| page)
    }

    fn __decode_with_envelope(body: &[u8]) -> Result<(Self, Option<Envelope>), serde_json::Error> {
        let (shape, envelope) = decode_with_envelope::<Shape>(body)?;
        let page = RawPage {
            body: body.to_vec(),
            len: shape.data.len,
            array: shape.data.array,
        };
        Ok((page, envelope))
    }
}

/// What the count reads of a reply: the shape of `data`.
#[derive(Deserialize)]
struct Shape {
    #[serde(default)]
    data: DataShape,
}

/// How many records `data` holds, read as
/// [`QueryResponse`](crate::api::QueryResponse) reads them (an array, one
/// object, `null`, `""`, `{}`), without decoding any.
#[derive(Default)]
struct DataShape {
    len: usize,
    array: bool,
}

impl<'de> Deserialize<'de> for DataShape {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DataShapeVisitor)
    }
}

struct DataShapeVisitor;

impl<'de> Visitor<'de> for DataShapeVisitor {
    type Value = DataShape;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list of records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<DataShape, A::Error> {
        let mut len = 0;
        while seq.next_element::<IgnoredAny>()?.is_some() {
            len += 1;
        }
        Ok(DataShape { len, array: true })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DataShape, A::Error> {
        // An empty object stands for "no data"; any other is one record.
        let mut len = 0;
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {
            len = 1;
        }
        Ok(DataShape { len, array: false })
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<DataShape, E> {
        Ok(DataShape::default())
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<DataShape, E> {
        // An empty string stands for "no data"; any other value is counted
        // as one record, which then fails to decode as `QueryResponse` would.
        let len = usize::from(!s.trim().is_empty());
        Ok(DataShape { len, array: false })
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<DataShape, E> {
        self.visit_str("?")
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<DataShape, E> {
        self.visit_str("?")
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<DataShape, E> {
        self.visit_str("?")
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<DataShape, E> {
        self.visit_str("?")
    }
}

/// The records of an array `data`.
#[derive(Deserialize)]
struct ArrayData {
    data: Vec<TradeRecord>,
}

/// The records of any other `data`, read as `QueryResponse` reads them.
#[derive(Deserialize)]
struct LenientData {
    #[serde(deserialize_with = "crate::types::de::vec_or_one")]
    data: Vec<TradeRecord>,
}

impl RawPage {
    /// The page's records. A record that does not decode is an
    /// [`Error::Decode`] of the query.
    pub(super) fn records(&self) -> Result<Vec<TradeRecord>, Error> {
        if self.len == 0 {
            return Ok(Vec::new());
        }
        let records = if self.array {
            serde_json::from_slice::<ArrayData>(&self.body).map(|r| r.data)
        } else {
            serde_json::from_slice::<LenientData>(&self.body).map(|r| r.data)
        };
        records.map_err(|source| Error::Decode {
            path: Query::SPEC.path.to_owned(),
            // Only a successful (2xx; QFPay answers 200) reply gets here.
            status: 200,
            excerpt: excerpt(&self.body),
            write: false,
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::RespCode;

    fn page(body: &str) -> RawPage {
        RawPage::decode(body.as_bytes()).unwrap()
    }

    #[test]
    fn a_page_is_counted_before_its_records_are_decoded() {
        let full = format!(
            r#"{{"respcd":"0000","data":[{}]}}"#,
            vec![r#"{"syssn":"1","respcd":"0000","txamt":"10"}"#; 100].join(",")
        );
        let p = page(&full);
        assert_eq!(p.len, 100);
        let records = p.records().unwrap();
        assert_eq!(records.len(), 100);
        assert_eq!(records[0].txamt, Some(10u32.into()));

        // As `QueryResponse` reads `data`: one object is one record;
        // `null`, `""`, `{}` or no `data` are none.
        let one = page(r#"{"data":{"syssn":"2","respcd":"0000"}}"#);
        assert_eq!(one.len, 1);
        assert_eq!(one.records().unwrap()[0].respcd, RespCode::Ok);
        for empty in [
            r#"{"data":null}"#,
            r#"{"data":""}"#,
            r#"{"data":" "}"#,
            r#"{"data":{}}"#,
            r#"{"data":[]}"#,
            "{}",
        ] {
            let p = page(empty);
            assert_eq!(p.len, 0, "{empty}");
            assert!(p.records().unwrap().is_empty(), "{empty}");
        }
    }

    #[test]
    fn data_that_is_no_record_is_counted_and_then_refused() {
        for body in [r#"{"data":"x"}"#, r#"{"data":5}"#, r#"{"data":true}"#] {
            let p = page(body);
            assert_eq!(p.len, 1, "{body}");
            assert!(matches!(p.records(), Err(Error::Decode { .. })), "{body}");
        }
    }

    #[test]
    fn a_record_that_does_not_decode_is_a_decode_error_of_the_query() {
        let p = page(r#"{"data":[{"syssn":"1","txamt":"ten"}]}"#);
        assert_eq!(p.len, 1, "counted without decoding");
        match p.records() {
            Err(Error::Decode {
                path,
                excerpt,
                write,
                ..
            }) => {
                assert_eq!(path, "/trade/v1/query");
                assert!(excerpt.starts_with(r#"{"data":[{"syssn":"1""#), "{excerpt}");
                assert!(!write);
            }
            other => panic!("{:?}", other.map(|r| r.len())),
        }
    }
}
