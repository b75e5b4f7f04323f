struct Sorted {
    ab: u32,
    a_b: u32,
    upper: u32,
    a1: u32,
    a: u32,
}
///Builds a [`Sorted`]: call the setter of every required field, then `build()`. Made by [`Sorted::builder`].
#[must_use = "a builder does nothing until `build()` is called"]
#[allow(non_camel_case_types)]
struct SortedBuilder<
    __ab = ::qfpay::__private_v0_1_0::Unset,
    __a_b = ::qfpay::__private_v0_1_0::Unset,
    __upper = ::qfpay::__private_v0_1_0::Unset,
    __a1 = ::qfpay::__private_v0_1_0::Unset,
    __a = ::qfpay::__private_v0_1_0::Unset,
>(
    (
        ::core::option::Option<u32>,
        ::core::option::Option<u32>,
        ::core::option::Option<u32>,
        ::core::option::Option<u32>,
        ::core::option::Option<u32>,
    ),
    ::core::marker::PhantomData<(__ab, __a_b, __upper, __a1, __a)>,
);
impl Sorted {
    ///Starts a [`Sorted`]: set every required field (a forgotten one is a compile error naming it), any optional ones, then call `build()`.
    #[inline]
    fn builder() -> SortedBuilder {
        SortedBuilder {
            0: ::core::default::Default::default(),
            1: ::core::marker::PhantomData,
        }
    }
}
#[allow(non_camel_case_types)]
impl<__ab, __a_b, __upper, __a1, __a> SortedBuilder<__ab, __a_b, __upper, __a1, __a> {
    ///Sets `ab`.
    fn ab(
        mut self,
        __qf_value: u32,
    ) -> SortedBuilder<::qfpay::__private_v0_1_0::Set, __a_b, __upper, __a1, __a>
    where
        __ab: ::qfpay::__private_v0_1_0::IsUnset,
    {
        self.0.0 = ::core::option::Option::Some(__qf_value);
        SortedBuilder {
            0: self.0,
            1: ::core::marker::PhantomData,
        }
    }
    ///Sets `a_b`.
    fn a_b(
        mut self,
        __qf_value: u32,
    ) -> SortedBuilder<__ab, ::qfpay::__private_v0_1_0::Set, __upper, __a1, __a>
    where
        __a_b: ::qfpay::__private_v0_1_0::IsUnset,
    {
        self.0.1 = ::core::option::Option::Some(__qf_value);
        SortedBuilder {
            0: self.0,
            1: ::core::marker::PhantomData,
        }
    }
    ///Sets `upper`.
    fn upper(
        mut self,
        __qf_value: u32,
    ) -> SortedBuilder<__ab, __a_b, ::qfpay::__private_v0_1_0::Set, __a1, __a>
    where
        __upper: ::qfpay::__private_v0_1_0::IsUnset,
    {
        self.0.2 = ::core::option::Option::Some(__qf_value);
        SortedBuilder {
            0: self.0,
            1: ::core::marker::PhantomData,
        }
    }
    ///Sets `a1`.
    fn a1(
        mut self,
        __qf_value: u32,
    ) -> SortedBuilder<__ab, __a_b, __upper, ::qfpay::__private_v0_1_0::Set, __a>
    where
        __a1: ::qfpay::__private_v0_1_0::IsUnset,
    {
        self.0.3 = ::core::option::Option::Some(__qf_value);
        SortedBuilder {
            0: self.0,
            1: ::core::marker::PhantomData,
        }
    }
    ///Sets `a`.
    fn a(
        mut self,
        __qf_value: u32,
    ) -> SortedBuilder<__ab, __a_b, __upper, __a1, ::qfpay::__private_v0_1_0::Set>
    where
        __a: ::qfpay::__private_v0_1_0::IsUnset,
    {
        self.0.4 = ::core::option::Option::Some(__qf_value);
        SortedBuilder {
            0: self.0,
            1: ::core::marker::PhantomData,
        }
    }
    ///Builds the [`Sorted`]; there is no `build()` until every required field is set.
    fn build(self) -> Sorted
    where
        __ab: Sorted_ab_is_set,
        __a_b: Sorted_a_b_is_set,
        __upper: Sorted_upper_is_set,
        __a1: Sorted_a1_is_set,
        __a: Sorted_a_is_set,
    {
        let __qf_values = self.0;
        Sorted {
            ab: ::qfpay::__private_v0_1_0::take(__qf_values.0),
            a_b: ::qfpay::__private_v0_1_0::take(__qf_values.1),
            upper: ::qfpay::__private_v0_1_0::take(__qf_values.2),
            a1: ::qfpay::__private_v0_1_0::take(__qf_values.3),
            a: ::qfpay::__private_v0_1_0::take(__qf_values.4),
        }
    }
}
#[doc(hidden)]
#[allow(non_camel_case_types)]
#[diagnostic::on_unimplemented(
    message = "missing required field `ab`: call `.ab(..)` before `.build()`",
    label = "`ab` is not set"
)]
trait Sorted_ab_is_set {}
#[diagnostic::do_not_recommend]
impl Sorted_ab_is_set for ::qfpay::__private_v0_1_0::Set {}
#[doc(hidden)]
#[allow(non_camel_case_types)]
#[diagnostic::on_unimplemented(
    message = "missing required field `a_b`: call `.a_b(..)` before `.build()`",
    label = "`a_b` is not set"
)]
trait Sorted_a_b_is_set {}
#[diagnostic::do_not_recommend]
impl Sorted_a_b_is_set for ::qfpay::__private_v0_1_0::Set {}
#[doc(hidden)]
#[allow(non_camel_case_types)]
#[diagnostic::on_unimplemented(
    message = "missing required field `upper` (sent as `A`): call `.upper(..)` before `.build()`",
    label = "`upper` is not set"
)]
trait Sorted_upper_is_set {}
#[diagnostic::do_not_recommend]
impl Sorted_upper_is_set for ::qfpay::__private_v0_1_0::Set {}
#[doc(hidden)]
#[allow(non_camel_case_types)]
#[diagnostic::on_unimplemented(
    message = "missing required field `a1`: call `.a1(..)` before `.build()`",
    label = "`a1` is not set"
)]
trait Sorted_a1_is_set {}
#[diagnostic::do_not_recommend]
impl Sorted_a1_is_set for ::qfpay::__private_v0_1_0::Set {}
#[doc(hidden)]
#[allow(non_camel_case_types)]
#[diagnostic::on_unimplemented(
    message = "missing required field `a`: call `.a(..)` before `.build()`",
    label = "`a` is not set"
)]
trait Sorted_a_is_set {}
#[diagnostic::do_not_recommend]
impl Sorted_a_is_set for ::qfpay::__private_v0_1_0::Set {}
#[automatically_derived]
impl ::qfpay::__private_v0_1_0::WriteParams for Sorted {
    const PARAM_NAMES: &'static [&'static ::core::primitive::str] = &[
        "A",
        "a",
        "a1",
        "a_b",
        "ab",
    ];
    #[inline]
    fn write_params<__S: ::qfpay::__private_v0_1_0::PairSink + ?::core::marker::Sized>(
        &self,
        __out: &mut __S,
    ) {
        <u32 as ::qfpay::__private_v0_1_0::ParamValue>::write_param(
            &self.upper,
            "A",
            __out,
        );
        <u32 as ::qfpay::__private_v0_1_0::ParamValue>::write_param(&self.a, "a", __out);
        <u32 as ::qfpay::__private_v0_1_0::ParamValue>::write_param(
            &self.a1,
            "a1",
            __out,
        );
        <u32 as ::qfpay::__private_v0_1_0::ParamValue>::write_param(
            &self.a_b,
            "a_b",
            __out,
        );
        <u32 as ::qfpay::__private_v0_1_0::ParamValue>::write_param(
            &self.ab,
            "ab",
            __out,
        );
    }
}
#[automatically_derived]
impl ::qfpay::__private_v0_1_0::Endpoint for Sorted {
    type Response = ::qfpay::__private_v0_1_0::JsonResponse;
    #[inline]
    fn spec(&self) -> ::qfpay::__private_v0_1_0::EndpointSpec<'_> {
        <Self as ::qfpay::__private_v0_1_0::StaticEndpoint>::SPEC
    }
}
#[automatically_derived]
impl ::qfpay::__private_v0_1_0::StaticEndpoint for Sorted {
    const SPEC: ::qfpay::__private_v0_1_0::EndpointSpec<'static> = ::qfpay::__private_v0_1_0::EndpointSpec::new(
        "/x",
        ::qfpay::__private_v0_1_0::Method::Get,
    );
}
