const _: () = {
    pub(crate) struct __Slots<T: ::serde::de::DeserializeOwned> {
        syssn: ::core::option::Option<Option<Syssn>>,
        row_affected: ::core::option::Option<Option<u64>>,
        data: ::core::option::Option<Vec<T>>,
        label: ::core::option::Option<String>,
        r#type: ::core::option::Option<Option<String>>,
        note: ::core::option::Option<Option<String>>,
        __twin: ::core::marker::PhantomData<fn() -> Fields<T>>,
    }
    impl<T: ::serde::de::DeserializeOwned> ::core::default::Default for __Slots<T> {
        fn default() -> Self {
            __Slots {
                syssn: ::core::option::Option::None,
                row_affected: ::core::option::Option::None,
                data: ::core::option::Option::None,
                label: ::core::option::Option::None,
                r#type: ::core::option::Option::None,
                note: ::core::option::Option::None,
                __twin: ::core::marker::PhantomData,
            }
        }
    }
    impl<T: ::serde::de::DeserializeOwned> crate::response::fields::ReadFields
    for Fields<T> {
        type Slots = __Slots<T>;
        fn read<'de, __M: ::serde::de::MapAccess<'de>>(
            slots: &mut Self::Slots,
            key: &::core::primitive::str,
            map: &mut __M,
        ) -> ::core::result::Result<bool, __M::Error> {
            match key {
                "syssn" => {
                    crate::response::fields::read(
                        &mut slots.syssn,
                        "syssn",
                        key,
                        map,
                        ::core::marker::PhantomData,
                    )
                }
                "rowAffected" | "row_affected" | "rows" => {
                    crate::response::fields::read(
                        &mut slots.row_affected,
                        "rowAffected",
                        key,
                        map,
                        crate::response::fields::With::<Self, 1>::new(),
                    )
                }
                "data" => {
                    crate::response::fields::read(
                        &mut slots.data,
                        "data",
                        key,
                        map,
                        crate::response::fields::With::<Self, 2>::new(),
                    )
                }
                "label" => {
                    crate::response::fields::read(
                        &mut slots.label,
                        "label",
                        key,
                        map,
                        crate::response::fields::With::<Self, 3>::new(),
                    )
                }
                "type" => {
                    crate::response::fields::read(
                        &mut slots.r#type,
                        "type",
                        key,
                        map,
                        ::core::marker::PhantomData,
                    )
                }
                "note" => {
                    crate::response::fields::read(
                        &mut slots.note,
                        "note",
                        key,
                        map,
                        ::core::marker::PhantomData,
                    )
                }
                _ => ::core::result::Result::Ok(false),
            }
        }
        fn finish<__E: ::serde::de::Error>(
            slots: Self::Slots,
        ) -> ::core::result::Result<Self, __E> {
            let __Slots { syssn, row_affected, data, label, r#type, note, __twin: _ } = slots;
            ::core::result::Result::Ok(Fields {
                syssn: syssn.unwrap_or_default(),
                row_affected: row_affected.unwrap_or_default(),
                data: data.unwrap_or_else(Vec::new),
                label: label
                    .ok_or_else(|| <__E as ::serde::de::Error>::missing_field("label"))?,
                r#type: r#type.unwrap_or_default(),
                note: crate::response::fields::missing_or_none(note, "note")?,
            })
        }
    }
    impl<T: ::serde::de::DeserializeOwned> crate::response::fields::ReadWith<1>
    for Fields<T> {
        type Value = Option<u64>;
        fn read_with<'de, __D: ::serde::Deserializer<'de>>(
            d: __D,
        ) -> ::core::result::Result<Option<u64>, __D::Error> {
            crate::types::de::opt_u64_lenient(d)
        }
    }
    impl<T: ::serde::de::DeserializeOwned> crate::response::fields::ReadWith<2>
    for Fields<T> {
        type Value = Vec<T>;
        fn read_with<'de, __D: ::serde::Deserializer<'de>>(
            d: __D,
        ) -> ::core::result::Result<Vec<T>, __D::Error> {
            crate::types::de::vec_or_one(d)
        }
    }
    impl<T: ::serde::de::DeserializeOwned> crate::response::fields::ReadWith<3>
    for Fields<T> {
        type Value = String;
        fn read_with<'de, __D: ::serde::Deserializer<'de>>(
            d: __D,
        ) -> ::core::result::Result<String, __D::Error> {
            crate::types::de::text(d)
        }
    }
};
