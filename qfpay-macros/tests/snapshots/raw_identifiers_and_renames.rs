#[derive(::qfpay::__private::bon::Builder)]
#[builder(crate = ::qfpay::__private::bon)]
pub struct Query {
    pub r#type: Option<String>,
    pub r#match: String,
    #[serde(skip)]
    pub zeta: u8,
}
#[automatically_derived]
impl ::qfpay::__private::WriteParams for Query {
    const PARAM_NAMES: &'static [&'static ::core::primitive::str] = &[
        "Zeta",
        "type",
        "type2",
    ];
    #[inline]
    fn write_params<__S: ::qfpay::__private::PairSink + ?::core::marker::Sized>(
        &self,
        __out: &mut __S,
    ) {
        <u8 as ::qfpay::__private::ParamValue>::write_param(&self.zeta, "Zeta", __out);
        <Option<
            String,
        > as ::qfpay::__private::ParamValue>::write_param(&self.r#type, "type", __out);
        <String as ::qfpay::__private::ParamValue>::write_param(
            &self.r#match,
            "type2",
            __out,
        );
    }
}
#[automatically_derived]
impl ::qfpay::__private::Endpoint for Query {
    const PATH: &'static ::core::primitive::str = "/trade/v1/query";
    const METHOD: ::qfpay::__private::Method = ::qfpay::__private::Method::Post;
    const SENDS_MCHID: ::core::primitive::bool = false;
    const IDEMPOTENT: ::core::primitive::bool = false;
    type Response = ::qfpay::__private::JsonResponse;
}
