//! Types with derived types → enums of their concrete types, chosen by `@odata.type`.

use super::doc_attrs;
use super::types::{cfg_within, doc_link, field_value_type, ident, type_path};
use crate::model::plan::PolymorphicPlan;
use proc_macro2::TokenStream;
use quote::quote;

pub fn emit_polymorphic(module: &[String], plan: &PolymorphicPlan) -> TokenStream {
    let name = ident(&plan.link.name);
    let declared = &plan.declared.odata_name;
    let docs = doc_attrs(&[
        format!(
            "A `{declared}` of any of its concrete types, chosen by `@odata.type` when decoding; a missing \
             or unknown tag gives the `{}` arm, with the tag kept in its extras.",
            plan.arms[0].name
        ),
        String::new(),
        format!(
            "A value built without a tag is written with the tag of its arm (but {}).",
            doc_link(module, &plan.declared)
        ),
    ]);
    let arm = |a: &crate::model::plan::ArmPlan| ident(&a.name);
    // An arm whose type needs a feature the enum does not is there with that feature only; a
    // value of its type decodes into the fallback arm without it, its tag kept.
    let gate = |a: &crate::model::plan::ArmPlan| cfg_within(&plan.link.gate, &a.ty.gate);
    let variants = plan.arms.iter().map(|a| {
        let (variant, ty) = (arm(a), type_path(module, &a.ty));
        let doc = match (a.is_fallback, plan.declared_is_abstract) {
            (true, true) => format!(
                "A value whose `@odata.type` is missing or names no concrete type of {}.",
                doc_link(module, &a.ty)
            ),
            (true, false) => {
                format!("A {}, or a value whose `@odata.type` is missing or unknown.", doc_link(module, &a.ty))
            }
            (false, _) => format!("`#{}`: {}.", a.ty.odata_name, doc_link(module, &a.ty)),
        };
        let (docs, gate) = (doc_attrs(&[doc]), gate(a));
        quote!(#docs #gate #variant(Box<#ty>),)
    });
    let each = |body: TokenStream| {
        let arms = plan.arms.iter().map(|a| {
            let (variant, gate) = (arm(a), gate(a));
            quote!(#gate Self::#variant(value) => #body,)
        });
        quote!(match self { #(#arms)* })
    };
    let write = each(quote!(value.write_properties(map)));
    let extras = each(quote!(value.extras()));
    let arm_entries = each(quote!(&mut **value));
    let fallback = arm(&plan.arms[0]);
    let for_tag = plan.arms.iter().filter(|a| !a.tags.is_empty()).map(|a| {
        let (variant, tags, gate) = (arm(a), &a.tags, gate(a));
        quote!(#gate #(#tags)|* => Self::#variant(Box::default()),)
    });
    let default_tag = plan.arms.iter().map(|a| {
        let (variant, gate) = (arm(a), gate(a));
        match a.is_fallback {
            true => quote!(#gate Self::#variant(_) => None,),
            false => {
                let tag = format!("#{}", a.ty.odata_name);
                quote!(#gate Self::#variant(_) => Some(#tag),)
            }
        }
    });
    // Every arm inlines the declared type's properties: reach them without a match.
    let accessors = plan.fields.iter().map(|f| {
        let field = ident(&f.name);
        let getter_mut = ident(&mut_accessor(&f.name));
        let ty = field_value_type(module, &f.ty);
        let get = each(quote!(&value.#field));
        let get_mut = each(quote!(&mut value.#field));
        let docs = doc_attrs(&[format!("The `{}` property, whatever the concrete type.", f.json_name)]);
        quote! {
            #docs
            #[inline]
            pub fn #field(&self) -> &crate::Field<#ty> {
                #get
            }

            #docs
            #[inline]
            pub fn #getter_mut(&mut self) -> &mut crate::Field<#ty> {
                #get_mut
            }
        }
    });
    // The arm's type by name: `type_name`, unless a property took that name.
    let type_name = match plan.fields.iter().any(|f| f.name == "type_name") {
        true => ident("odata_type_name"),
        false => ident("type_name"),
    };
    let type_names = plan.arms.iter().map(|a| {
        let (variant, gate, odata) = (arm(a), gate(a), &a.ty.odata_name);
        quote!(#gate Self::#variant(_) => #odata,)
    });
    let accessors = quote! {
        impl #name {
            /// The qualified name of the arm's type (`microsoft.graph.playPromptOperation`); for
            /// the fallback arm the declared type's (the tag that came, if any, is in its extras).
            #[inline]
            pub fn #type_name(&self) -> &'static str {
                match self {
                    #(#type_names)*
                }
            }

            #(#accessors)*

            /// Properties the schema does not declare and annotations, whatever the concrete type.
            #[inline]
            pub fn extras(&self) -> &crate::odata::Extras {
                crate::odata::ODataObject::extras(self)
            }

            /// Properties the schema does not declare and annotations, whatever the concrete type.
            #[inline]
            pub fn extras_mut(&mut self) -> &mut crate::odata::Extras {
                crate::odata::ODataObject::extras_mut(self)
            }
        }
    };
    // Inline, like the derives' methods: a conversion costs code where it is used, not in the
    // crate's own build (with the drop glue of every arm it would pull in).
    let conversions = plan.arms.iter().map(|a| {
        let (variant, ty, gate) = (arm(a), type_path(module, &a.ty), gate(a));
        quote! {
            #gate
            impl From<#ty> for #name {
                #[inline]
                fn from(value: #ty) -> Self {
                    Self::#variant(Box::new(value))
                }
            }

            #gate
            impl From<#ty> for crate::Field<#name> {
                #[inline]
                fn from(value: #ty) -> Self {
                    // Spelled out: a property named `from` has an accessor of that name.
                    crate::Field::Value(<#name as From<#ty>>::from(value))
                }
            }
        }
    });
    let same_arm = plan.arms.iter().map(|a| {
        let (variant, gate) = (arm(a), gate(a));
        quote!(#gate (Self::#variant(value), Self::#variant(partial)) => value.merge(partial),)
    });
    let same_arm_diff = plan.arms.iter().map(|a| {
        let (variant, gate) = (arm(a), gate(a));
        quote!(#gate (Self::#variant(old), Self::#variant(new)) => Self::#variant(old.diff(new)),)
    });
    let merge = quote! {
        /// A value of the same arm is merged in property by property; another arm replaces the
        /// value whole ([`crate::odata::Merge`]).
        #[cfg(feature = "merge")]
        impl crate::odata::Merge for #name {
            fn merge(&mut self, partial: Self) {
                match (self, partial) {
                    #(#same_arm)*
                    (this, partial) => *this = partial,
                }
            }

            fn diff(&self, new: &Self) -> Self {
                match (self, new) {
                    #(#same_arm_diff)*
                    (_, new) => new.clone(),
                }
            }
        }
    };
    let views = emit_views(module, plan);
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq)]
        pub enum #name {
            #(#variants)*
        }

        #accessors

        #merge

        impl Default for #name {
            #[inline]
            fn default() -> Self {
                Self::#fallback(Box::default())
            }
        }

        impl crate::odata::ODataObject for #name {
            /// The arm's slot ([`crate::odata::Polymorphic::arm_entries`]).
            #[inline]
            fn slot(&mut self, key: &str) -> Option<crate::odata::Slot<'_>> {
                crate::odata::Entries::slot(crate::odata::Polymorphic::arm_entries(self), key)
            }

            fn write_properties<M: serde::ser::SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
                #write
            }

            #[inline]
            fn extras(&self) -> &crate::odata::Extras {
                #extras
            }

            /// The arm's extras ([`crate::odata::Polymorphic::arm_entries`]).
            #[inline]
            fn extras_mut(&mut self) -> &mut crate::odata::Extras {
                crate::odata::Entries::undeclared(crate::odata::Polymorphic::arm_entries(self))
            }
        }

        // Inline: only a decoder calls them, and it is generic; compiled here, every arm's
        // `Box::default` and drop glue would be too.
        impl crate::odata::Polymorphic for #name {
            const DECLARED: &'static str = #declared;

            #[inline]
            fn for_tag(tag: &str) -> Option<Self> {
                Some(match tag {
                    #(#for_tag)*
                    _ => return None,
                })
            }

            fn fallback() -> Self {
                Self::default()
            }

            #[inline]
            fn default_tag(&self) -> Option<&'static str> {
                match self {
                    #(#default_tag)*
                }
            }

            #[inline]
            fn arm_entries(&mut self) -> &mut dyn crate::odata::Entries {
                #arm_entries
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                crate::odata::serialize_object(self, serializer, crate::odata::Polymorphic::default_tag(self))
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::odata::deserialize_polymorphic(deserializer)
            }
        }

        #(#conversions)*

        #views
    }
}

/// For a polymorphic enum whose declared type has polymorphic bases (`AnyCommsOperation`, a
/// view of `AnyEntity`): the conversions from and to each wider enum, by value and by
/// reference, and the borrowed enum (`AnyCommsOperationRef`) that reads the declared type's
/// properties from any arm of the wider one without a clone.
fn emit_views(module: &[String], plan: &PolymorphicPlan) -> TokenStream {
    if plan.views.is_empty() {
        return TokenStream::new();
    }
    let name = ident(&plan.link.name);
    let borrowed = ident(&format!("{}Ref", plan.link.name));
    let arms: Vec<_> = plan.arms.iter().map(|a| ident(&a.name)).collect();
    let types: Vec<_> = plan.arms.iter().map(|a| type_path(module, &a.ty)).collect();
    let gates: Vec<_> = plan.arms.iter().map(|a| cfg_within(&plan.link.gate, &a.ty.gate)).collect();
    let accessors = plan.fields.iter().map(|f| {
        let field = ident(&f.name);
        let ty = field_value_type(module, &f.ty);
        let docs = doc_attrs(&[format!("The `{}` property, whatever the concrete type.", f.json_name)]);
        quote! {
            #docs
            #[inline]
            pub fn #field(&self) -> &'a crate::Field<#ty> {
                match *self { #(#gates Self::#arms(value) => &value.#field,)* }
            }
        }
    });
    let docs = doc_attrs(&[
        format!("[`{}`], borrowed: what `TryFrom` gives from a reference to a wider enum.", plan.link.name),
        String::new(),
        "It reads the declared type's properties from any arm, as the owned enum does.".to_owned(),
    ]);
    let conversions = plan.views.iter().map(|view| {
        let wide = type_path(module, &view.wide);
        let wide_name = &view.wide.name;
        let wide_arms: Vec<_> = view.arms.iter().map(|a| ident(a)).collect();
        let from_docs = doc_attrs(&[format!("Every arm of [`{}`] is an arm of `{wide_name}`.", plan.link.name)]);
        let try_docs = doc_attrs(&[format!(
            "The arms of `{wide_name}` whose type is or derives from the declared type; any other arm is given back."
        )]);
        quote! {
            #from_docs
            impl From<#name> for #wide {
                #[inline]
                fn from(value: #name) -> Self {
                    match value { #(#gates #name::#arms(value) => Self::#wide_arms(value),)* }
                }
            }

            #try_docs
            impl TryFrom<#wide> for #name {
                type Error = #wide;

                #[inline]
                fn try_from(value: #wide) -> Result<Self, #wide> {
                    match value {
                        #(#gates #wide::#wide_arms(value) => Ok(Self::#arms(value)),)*
                        other => Err(other),
                    }
                }
            }

            #try_docs
            impl<'a> TryFrom<&'a #wide> for #borrowed<'a> {
                type Error = &'a #wide;

                #[inline]
                fn try_from(value: &'a #wide) -> Result<Self, &'a #wide> {
                    match value {
                        #(#gates #wide::#wide_arms(value) => Ok(Self::#arms(value)),)*
                        other => Err(other),
                    }
                }
            }
        }
    });
    let arm_docs = plan.arms.iter().map(|a| doc_attrs(&[format!("A {}.", doc_link(module, &a.ty))]));
    quote! {
        #docs
        #[derive(Clone, Copy, Debug, PartialEq)]
        pub enum #borrowed<'a> {
            #(#arm_docs #gates #arms(&'a #types),)*
        }

        impl<'a> #borrowed<'a> {
            #(#accessors)*

            /// Properties the schema does not declare and annotations, whatever the concrete type.
            #[inline]
            pub fn extras(&self) -> &'a crate::odata::Extras {
                match *self { #(#gates Self::#arms(value) => &value.extras,)* }
            }

            /// The owned value (a clone).
            // Inline: it instantiates the clone of every arm's type.
            #[inline]
            pub fn cloned(&self) -> #name {
                match *self { #(#gates Self::#arms(value) => #name::#arms(Box::new(value.clone())),)* }
            }
        }

        impl<'a> From<&'a #name> for #borrowed<'a> {
            #[inline]
            fn from(value: &'a #name) -> Self {
                match value { #(#gates #name::#arms(value) => Self::#arms(value),)* }
            }
        }

        #(#conversions)*
    }
}

/// `user` → `user_mut`, `r#type` → `type_mut`, `self_` → `self_mut`.
fn mut_accessor(field: &str) -> String {
    format!("{}_mut", field.trim_start_matches("r#").trim_end_matches('_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mut_accessors_are_snake_case() {
        assert_eq!(mut_accessor("user"), "user_mut");
        assert_eq!(mut_accessor("r#type"), "type_mut");
        assert_eq!(mut_accessor("self_"), "self_mut");
    }
}
