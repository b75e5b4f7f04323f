#[derive(::qfpay::__private::bon::Builder)]
#[builder(crate = ::qfpay::__private::bon)]
pub struct Close<'a, T: Clone, const N: usize>
where
    T: Default,
{
    pub syssn: &'a str,
    pub extra: Option<T>,
    pub fixed: [u8; N],
}
#[automatically_derived]
impl<'a, T: Clone, const N: usize> ::qfpay::__private::WriteParams for Close<'a, T, N>
where
    T: Default,
    Option<T>: ::qfpay::__private::ParamValue,
{
    const PARAM_NAMES: &'static [&'static ::core::primitive::str] = &[
        "extra",
        "fixed",
        "syssn",
    ];
    #[inline]
    fn write_params<__S: ::qfpay::__private::PairSink + ?::core::marker::Sized>(
        &self,
        __out: &mut __S,
    ) {
        <Option<
            T,
        > as ::qfpay::__private::ParamValue>::write_param(&self.extra, "extra", __out);
        <[u8; N] as ::qfpay::__private::ParamValue>::write_param(
            &self.fixed,
            "fixed",
            __out,
        );
        <&'a str as ::qfpay::__private::ParamValue>::write_param(
            &self.syssn,
            "syssn",
            __out,
        );
    }
}
#[automatically_derived]
impl<'a, T: Clone, const N: usize> ::qfpay::__private::Endpoint for Close<'a, T, N>
where
    T: Default,
    Option<T>: ::qfpay::__private::ParamValue,
{
    type Response = ::qfpay::__private::JsonResponse;
    #[inline]
    fn spec(&self) -> ::qfpay::__private::EndpointSpec<'_> {
        <Self as ::qfpay::__private::StaticEndpoint>::SPEC
    }
}
#[automatically_derived]
impl<'a, T: Clone, const N: usize> ::qfpay::__private::StaticEndpoint for Close<'a, T, N>
where
    T: Default,
    Option<T>: ::qfpay::__private::ParamValue,
{
    const SPEC: ::qfpay::__private::EndpointSpec<'static> = ::qfpay::__private::EndpointSpec::new(
            "/trade/v1/close",
            ::qfpay::__private::Method::Post,
        )
        .with_mchid(true)
        .with_idempotent(false)
        .with_either_method(false)
        .with_sign_type(::core::option::Option::None);
}
