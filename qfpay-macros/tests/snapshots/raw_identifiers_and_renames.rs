pub struct Query {
    pub r#type: Option<String>,
    pub r#match: String,
    #[serde(skip)]
    pub zeta: u8,
}
///Builds a [`Query`]: call the setter of every required field, then `build()`. Made by [`Query::builder`].
#[must_use = "a builder does nothing until `build()` is called"]
#[allow(non_camel_case_types)]
pub struct QueryBuilder<
    __match = ::qfpay::__private_v0_1_0::Unset,
    __zeta = ::qfpay::__private_v0_1_0::Unset,
>(
    (Option<String>, ::core::option::Option<String>, ::core::option::Option<u8>),
    ::core::marker::PhantomData<(__match, __zeta)>,
);
impl Query {
    ///Starts a [`Query`]: set every required field (a forgotten one is a compile error naming it), any optional ones, then call `build()`.
    #[inline]
    pub fn builder() -> QueryBuilder {
        QueryBuilder {
            0: ::core::default::Default::default(),
            1: ::core::marker::PhantomData,
        }
    }
}
#[allow(non_camel_case_types)]
impl<__match, __zeta> QueryBuilder<__match, __zeta> {
    ///Sets `type`.
    pub fn r#type<__M>(
        mut self,
        __qf_value: impl ::qfpay::__private_v0_1_0::OptionArg<String, __M>,
    ) -> Self {
        self.0.0 = ::qfpay::__private_v0_1_0::OptionArg::into_option(__qf_value);
        self
    }
    ///Sets `match`.
    pub fn r#match(
        mut self,
        __qf_value: impl ::core::convert::Into<String>,
    ) -> QueryBuilder<::qfpay::__private_v0_1_0::Set, __zeta>
    where
        __match: ::qfpay::__private_v0_1_0::IsUnset,
    {
        self.0.1 = ::core::option::Option::Some(::core::convert::Into::into(__qf_value));
        QueryBuilder {
            0: self.0,
            1: ::core::marker::PhantomData,
        }
    }
    ///Sets `zeta`.
    pub fn zeta(
        mut self,
        __qf_value: u8,
    ) -> QueryBuilder<__match, ::qfpay::__private_v0_1_0::Set>
    where
        __zeta: ::qfpay::__private_v0_1_0::IsUnset,
    {
        self.0.2 = ::core::option::Option::Some(__qf_value);
        QueryBuilder {
            0: self.0,
            1: ::core::marker::PhantomData,
        }
    }
    ///Builds the [`Query`]; there is no `build()` until every required field is set.
    pub fn build(self) -> Query
    where
        __match: Query_match_is_set,
        __zeta: Query_zeta_is_set,
    {
        let __qf_values = self.0;
        Query {
            r#type: __qf_values.0,
            r#match: ::qfpay::__private_v0_1_0::take(__qf_values.1),
            zeta: ::qfpay::__private_v0_1_0::take(__qf_values.2),
        }
    }
}
#[doc(hidden)]
#[allow(non_camel_case_types)]
#[diagnostic::on_unimplemented(
    message = "missing required field `r#match` (sent as `type2`): call `.r#match(..)` before `.build()`",
    label = "`r#match` is not set"
)]
pub trait Query_match_is_set {}
#[diagnostic::do_not_recommend]
impl Query_match_is_set for ::qfpay::__private_v0_1_0::Set {}
#[doc(hidden)]
#[allow(non_camel_case_types)]
#[diagnostic::on_unimplemented(
    message = "missing required field `zeta` (sent as `Zeta`): call `.zeta(..)` before `.build()`",
    label = "`zeta` is not set"
)]
pub trait Query_zeta_is_set {}
#[diagnostic::do_not_recommend]
impl Query_zeta_is_set for ::qfpay::__private_v0_1_0::Set {}
#[automatically_derived]
impl ::qfpay::__private_v0_1_0::WriteParams for Query {
    const PARAM_NAMES: &'static [&'static ::core::primitive::str] = &[
        "Zeta",
        "type",
        "type2",
    ];
    #[inline]
    fn write_params<__S: ::qfpay::__private_v0_1_0::PairSink + ?::core::marker::Sized>(
        &self,
        __out: &mut __S,
    ) {
        <u8 as ::qfpay::__private_v0_1_0::ParamValue>::write_param(
            &self.zeta,
            "Zeta",
            __out,
        );
        <Option<
            String,
        > as ::qfpay::__private_v0_1_0::ParamValue>::write_param(
            &self.r#type,
            "type",
            __out,
        );
        <String as ::qfpay::__private_v0_1_0::ParamValue>::write_param(
            &self.r#match,
            "type2",
            __out,
        );
    }
}
#[automatically_derived]
impl ::qfpay::__private_v0_1_0::Endpoint for Query {
    type Response = ::qfpay::__private_v0_1_0::JsonResponse;
    #[inline]
    fn spec(&self) -> ::qfpay::__private_v0_1_0::EndpointSpec<'_> {
        <Self as ::qfpay::__private_v0_1_0::StaticEndpoint>::SPEC
    }
}
#[automatically_derived]
impl ::qfpay::__private_v0_1_0::StaticEndpoint for Query {
    const SPEC: ::qfpay::__private_v0_1_0::EndpointSpec<'static> = ::qfpay::__private_v0_1_0::EndpointSpec::new(
            "/trade/v1/query",
            ::qfpay::__private_v0_1_0::Method::Post,
        )
        .with_mchid(false);
}
