using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Cake.DoMarketplace.Tests.Architecture;

/// <summary>One type of an assembly using another of the same assembly; nested types are counted for their outermost type.</summary>
internal sealed record TypeUse(DefinedType From, DefinedType To);

/// <summary>A top-level type as the rules see it: its namespace and its name.</summary>
internal sealed record DefinedType(string Namespace, string Name);

/// <summary>
/// Reads a compiled assembly with System.Reflection.Metadata (nothing is loaded or run) and lists which of its own types
/// each of its types uses: base type, interfaces, generic constraints, attributes, fields, properties, events, method
/// signatures, locals, catch clauses and every token in the method bodies' IL. Compiler-generated nested types
/// (lambdas' closures, async and iterator state machines) count for the type they were written in.
/// </summary>
internal sealed class TypeUses
{
    private readonly MetadataReader reader;
    private readonly PEReader pe;

    private TypeUses(PEReader pe)
    {
        this.pe = pe;
        reader = pe.GetMetadataReader();
    }

    /// <summary>Every top-level type the assembly defines, and every use of one by another.</summary>
    public static (List<DefinedType> Types, List<TypeUse> Uses) Read(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        return new TypeUses(pe).All();
    }

    private (List<DefinedType> Types, List<TypeUse> Uses) All()
    {
        var uses = new HashSet<TypeUse>();
        var types = new HashSet<DefinedType>();
        foreach (var handle in reader.TypeDefinitions)
        {
            var from = Outermost(handle);
            types.Add(Describe(from));
            foreach (var used in UsedBy(reader.GetTypeDefinition(handle)))
            {
                var to = Outermost(used);
                if (to != from)
                {
                    uses.Add(new TypeUse(Describe(from), Describe(to)));
                }
            }
        }

        return ([.. types], [.. uses]);
    }

    private List<TypeDefinitionHandle> UsedBy(TypeDefinition type)
    {
        var found = new List<TypeDefinitionHandle>();
        if (!type.BaseType.IsNil)
        {
            found.AddRange(Types(type.BaseType));
        }

        found.AddRange(type.GetInterfaceImplementations().SelectMany(i => Types(reader.GetInterfaceImplementation(i).Interface)));
        found.AddRange(Constraints(type.GetGenericParameters()));
        found.AddRange(Attributes(type.GetCustomAttributes()));

        foreach (var field in type.GetFields().Select(reader.GetFieldDefinition))
        {
            found.AddRange(field.DecodeSignature(DefinedTypesCollector.Instance, null));
            found.AddRange(Attributes(field.GetCustomAttributes()));
        }

        foreach (var property in type.GetProperties().Select(reader.GetPropertyDefinition))
        {
            var signature = property.DecodeSignature(DefinedTypesCollector.Instance, null);
            found.AddRange(signature.ReturnType);
            found.AddRange(signature.ParameterTypes.SelectMany(p => p));
            found.AddRange(Attributes(property.GetCustomAttributes()));
        }

        foreach (var @event in type.GetEvents().Select(reader.GetEventDefinition))
        {
            found.AddRange(Types(@event.Type));
            found.AddRange(Attributes(@event.GetCustomAttributes()));
        }

        foreach (var method in type.GetMethods().Select(reader.GetMethodDefinition))
        {
            found.AddRange(InMethod(method));
        }

        return found;
    }

    private List<TypeDefinitionHandle> InMethod(MethodDefinition method)
    {
        var signature = method.DecodeSignature(DefinedTypesCollector.Instance, null);
        var found = new List<TypeDefinitionHandle>(signature.ReturnType);
        found.AddRange(signature.ParameterTypes.SelectMany(p => p));
        found.AddRange(Attributes(method.GetCustomAttributes()));
        found.AddRange(method.GetParameters().SelectMany(p => Attributes(reader.GetParameter(p).GetCustomAttributes())));
        found.AddRange(Constraints(method.GetGenericParameters()));
        if (method.RelativeVirtualAddress == 0)
        {
            return found;
        }

        var body = pe.GetMethodBody(method.RelativeVirtualAddress);
        if (!body.LocalSignature.IsNil)
        {
            var locals = reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(DefinedTypesCollector.Instance, null);
            found.AddRange(locals.SelectMany(l => l));
        }

        found.AddRange(body.ExceptionRegions.Where(r => !r.CatchType.IsNil).SelectMany(r => Types(r.CatchType)));
        found.AddRange(IlTokens.Read(body.GetILBytes() ?? []).SelectMany(t => Types(t)));
        return found;
    }

    private IEnumerable<TypeDefinitionHandle> Attributes(CustomAttributeHandleCollection attributes) =>
        attributes.SelectMany(a => Types(reader.GetCustomAttribute(a).Constructor));

    private IEnumerable<TypeDefinitionHandle> Constraints(GenericParameterHandleCollection parameters) =>
        parameters.SelectMany(p => reader.GetGenericParameter(p).GetConstraints())
            .SelectMany(c => Types(reader.GetGenericParameterConstraint(c).Type));

    /// <summary>The types of this assembly that a token names: the type itself, a member's declaring type and signature.</summary>
    private ImmutableArray<TypeDefinitionHandle> Types(EntityHandle handle)
    {
        var collector = DefinedTypesCollector.Instance;
        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition:
                return [(TypeDefinitionHandle)handle];
            case HandleKind.TypeSpecification:
                return reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(collector, null);
            case HandleKind.FieldDefinition:
                var field = reader.GetFieldDefinition((FieldDefinitionHandle)handle);
                return [field.GetDeclaringType(), .. field.DecodeSignature(collector, null)];
            case HandleKind.MethodDefinition:
                var method = reader.GetMethodDefinition((MethodDefinitionHandle)handle);
                var signature = method.DecodeSignature(collector, null);
                return [method.GetDeclaringType(), .. signature.ReturnType, .. signature.ParameterTypes.SelectMany(p => p)];
            case HandleKind.MemberReference:
                var member = reader.GetMemberReference((MemberReferenceHandle)handle);
                if (member.GetKind() == MemberReferenceKind.Field)
                {
                    return [.. Types(member.Parent), .. member.DecodeFieldSignature(collector, null)];
                }

                var memberSignature = member.DecodeMethodSignature(collector, null);
                return [.. Types(member.Parent), .. memberSignature.ReturnType, .. memberSignature.ParameterTypes.SelectMany(p => p)];
            case HandleKind.MethodSpecification:
                var specification = reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                return [.. Types(specification.Method), .. specification.DecodeSignature(collector, null).SelectMany(a => a)];
            case HandleKind.StandaloneSignature:
                var standalone = reader.GetStandaloneSignature((StandaloneSignatureHandle)handle);
                if (standalone.GetKind() != StandaloneSignatureKind.Method)
                {
                    return [];
                }

                var pointer = standalone.DecodeMethodSignature(collector, null);
                return [.. pointer.ReturnType, .. pointer.ParameterTypes.SelectMany(p => p)];
            case HandleKind.TypeReference or HandleKind.ModuleReference:
                return [];
            default:
                throw new InvalidOperationException($"A token of kind {handle.Kind} (0x{MetadataTokens.GetToken(handle):X8}) is not read.");
        }
    }

    private TypeDefinitionHandle Outermost(TypeDefinitionHandle handle)
    {
        while (true)
        {
            var declaring = reader.GetTypeDefinition(handle).GetDeclaringType();
            if (declaring.IsNil)
            {
                return handle;
            }

            handle = declaring;
        }
    }

    private DefinedType Describe(TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        var name = reader.GetString(type.Name);
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        return new DefinedType(reader.GetString(type.Namespace), tick < 0 ? name : name[..tick]);
    }
}
