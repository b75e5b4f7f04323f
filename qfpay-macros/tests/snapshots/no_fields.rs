pub struct Ping {}
///Builds a [`Ping`]: call the setter of every required field, then `build()`. Made by [`Ping::builder`].
#[must_use = "a builder does nothing until `build()` is called"]
#[allow(non_camel_case_types)]
pub struct PingBuilder((), ::core::marker::PhantomData<()>);
impl Ping {
    ///Starts a [`Ping`]: set every required field (a forgotten one is a compile error naming it), any optional ones, then call `build()`.
    #[inline]
    pub fn builder() -> PingBuilder {
        PingBuilder {
            0: (),
            1: ::core::marker::PhantomData,
        }
    }
}
#[allow(non_camel_case_types)]
impl PingBuilder {
    ///Builds the [`Ping`]; there is no `build()` until every required field is set.
    pub fn build(self) -> Ping {
        Ping {}
    }
}
#[automatically_derived]
impl ::qfpay::__private_v0_1_0::WriteParams for Ping {
    const PARAM_NAMES: &'static [&'static ::core::primitive::str] = &[];
    #[inline]
    fn write_params<__S: ::qfpay::__private_v0_1_0::PairSink + ?::core::marker::Sized>(
        &self,
        _: &mut __S,
    ) {}
}
#[automatically_derived]
impl ::qfpay::__private_v0_1_0::Endpoint for Ping {
    type Response = ::qfpay::__private_v0_1_0::JsonResponse;
    #[inline]
    fn spec(&self) -> ::qfpay::__private_v0_1_0::EndpointSpec<'_> {
        <Self as ::qfpay::__private_v0_1_0::StaticEndpoint>::SPEC
    }
}
#[automatically_derived]
impl ::qfpay::__private_v0_1_0::StaticEndpoint for Ping {
    const SPEC: ::qfpay::__private_v0_1_0::EndpointSpec<'static> = ::qfpay::__private_v0_1_0::EndpointSpec::new(
        "/trade/v1/ping",
        ::qfpay::__private_v0_1_0::Method::Get,
    );
}
