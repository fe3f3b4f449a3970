//! The `Edm.*` primitive types.

/// An `Edm` primitive type (or one of the abstract `Edm` types, which carry any JSON).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Primitive {
    Binary,
    Boolean,
    Byte,
    Date,
    DateTimeOffset,
    Decimal,
    Double,
    Duration,
    Guid,
    Int16,
    Int32,
    Int64,
    SByte,
    Single,
    Stream,
    String,
    TimeOfDay,
    /// `Edm.Geography*` and `Edm.Geometry*`: GeoJSON objects.
    Geo,
    /// `Edm.Untyped`, `Edm.PrimitiveType`, `Edm.ComplexType`, `Edm.EntityType`: any JSON value.
    Untyped,
}

impl Primitive {
    /// The primitive named `Edm.<name>`, given `<name>`.
    pub fn from_edm_name(name: &str) -> Option<Primitive> {
        use Primitive::*;
        Some(match name {
            "Binary" => Binary,
            "Boolean" => Boolean,
            "Byte" => Byte,
            "Date" => Date,
            "DateTimeOffset" => DateTimeOffset,
            "Decimal" => Decimal,
            "Double" => Double,
            "Duration" => Duration,
            "Guid" => Guid,
            "Int16" => Int16,
            "Int32" => Int32,
            "Int64" => Int64,
            "SByte" => SByte,
            "Single" => Single,
            "Stream" => Stream,
            "String" => String,
            "TimeOfDay" => TimeOfDay,
            "Untyped" | "PrimitiveType" | "ComplexType" | "EntityType" => Untyped,
            geo if geo.starts_with("Geography") || geo.starts_with("Geometry") => Geo,
            _ => return None,
        })
    }

    /// The `Edm` name (`Edm.Geography` and `Edm.Untyped` for the families).
    pub fn edm_name(self) -> &'static str {
        use Primitive::*;
        match self {
            Binary => "Edm.Binary",
            Boolean => "Edm.Boolean",
            Byte => "Edm.Byte",
            Date => "Edm.Date",
            DateTimeOffset => "Edm.DateTimeOffset",
            Decimal => "Edm.Decimal",
            Double => "Edm.Double",
            Duration => "Edm.Duration",
            Guid => "Edm.Guid",
            Int16 => "Edm.Int16",
            Int32 => "Edm.Int32",
            Int64 => "Edm.Int64",
            SByte => "Edm.SByte",
            Single => "Edm.Single",
            Stream => "Edm.Stream",
            String => "Edm.String",
            TimeOfDay => "Edm.TimeOfDay",
            Geo => "Edm.Geography",
            Untyped => "Edm.Untyped",
        }
    }

    /// Whether an enum type may have this underlying type.
    pub fn is_integer(self) -> bool {
        matches!(self, Primitive::Byte | Primitive::SByte | Primitive::Int16 | Primitive::Int32 | Primitive::Int64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edm_names_map_to_primitives() {
        assert_eq!(Primitive::from_edm_name("Int64"), Some(Primitive::Int64));
        assert_eq!(Primitive::from_edm_name("GeographyPoint"), Some(Primitive::Geo));
        assert_eq!(Primitive::from_edm_name("Untyped"), Some(Primitive::Untyped));
        assert_eq!(Primitive::from_edm_name("Int128"), None);
        assert!(Primitive::Int32.is_integer() && !Primitive::String.is_integer());
    }
}
