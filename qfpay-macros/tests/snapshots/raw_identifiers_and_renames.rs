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
    type Response = ::qfpay::__private::JsonResponse;
    #[inline]
    fn spec(&self) -> ::qfpay::__private::EndpointSpec<'_> {
        <Self as ::qfpay::__private::StaticEndpoint>::SPEC
    }
}
#[automatically_derived]
impl ::qfpay::__private::StaticEndpoint for Query {
    const SPEC: ::qfpay::__private::EndpointSpec<'static> = ::qfpay::__private::EndpointSpec::new(
            "/trade/v1/query",
            ::qfpay::__private::Method::Post,
        )
        .with_mchid(false)
        .with_idempotent(false)
        .with_either_method(false)
        .with_sign_type(::core::option::Option::None);
}
