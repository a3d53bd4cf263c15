// Writes the ReadyToRun profile of bb's self-contained packages (bench/profile/record.sh, docs/benchmarks.md "17.5"):
// a .mibc file, the format crossgen2 reads with --mibc (SDK item PublishReadyToRunPgoFiles), naming every method the
// JIT compiled in recorded runs of a build without it (DOTNET_JitStdOutFile + DOTNET_JitDisasmSummary=1).
// crossgen2 then precompiles those methods into the composite image: mostly generic instantiations its own
// analysis does not reach, such as the async state-machine boxes of methods returning Task<reference type>.
//   dotnet run bench/profile/make-mibc.cs -- ASSEMBLY_DIR OUT.mibc JIT_LIST...
//   dotnet run bench/profile/make-mibc.cs -- --list FILE.mibc     one line per method it names (tests/aot-smoke.sh)
// ASSEMBLY_DIR: the published build whose runs were recorded (its IL metadata gives each method's signature).
// Each method is named by a member reference into the assembly that defines it, so the file holds no code and
// names nothing it does not need; a name a later build lacks is skipped by crossgen2.
using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;

if (args is ["--list", var profile])
{
    foreach (var named in ProfileReader.Methods(profile))
    {
        Console.WriteLine(named);
    }

    return 0;
}

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: make-mibc ASSEMBLY_DIR OUT.mibc JIT_LIST... | make-mibc --list FILE.mibc");
    return 2;
}

var world = new World(args[0]);
var emitter = new Emitter(world);
var seen = new HashSet<string>(StringComparer.Ordinal);
int total = 0, resolved = 0;
var failures = new Dictionary<string, int>();
foreach (var list in args[2..])
{
    foreach (var line in File.ReadLines(list))
    {
        var m = Regex.Match(line, @"JIT compiled (?<name>.+) \[[^\[\]]*\]$");
        if (!m.Success)
        {
            continue;
        }

        var name = m.Groups["name"].Value;
        if (!seen.Add(name))
        {
            continue;
        }

        total++;
        try
        {
            var parsed = NameParser.ParseMethod(name);
            emitter.Add(parsed);
            resolved++;
        }
        catch (SkipException e)
        {
            failures[e.Message] = failures.GetValueOrDefault(e.Message) + 1;
            if (Environment.GetEnvironmentVariable("MIBC_VERBOSE") is not null)
            {
                Console.Error.WriteLine($"skip: {e.Message}: {name}");
            }
        }
    }
}

emitter.Write(args[1]);
Console.WriteLine($"{resolved} of {total} methods written to {args[1]}");
foreach (var (why, count) in failures.OrderByDescending(f => f.Value))
{
    Console.WriteLine($"  skipped {count}: {why}");
}

return 0;

sealed class SkipException(string why) : Exception(why);

/// <summary>A type as the JIT prints it: a primitive keyword, or a dotted name with '+' nesting and bracketed arguments, or an array.</summary>
sealed record TypeName(string Name, ImmutableArray<TypeName> Args, int ArrayRank = 0);

sealed record MethodName(TypeName Owner, string Name, ImmutableArray<TypeName> MethodArgs, ImmutableArray<string> Parameters);

static class NameParser
{
    public static MethodName ParseMethod(string text)
    {
        // Owner:Name[margs](params)
        var colon = FindTopLevel(text, ':');
        if (colon < 0)
        {
            throw new SkipException("no owner");
        }

        var ownerText = text[..colon];
        var rest = text[(colon + 1)..];
        var open = FindTopLevel(rest, '(');
        if (open < 0 || !rest.EndsWith(')'))
        {
            throw new SkipException("no parameter list");
        }

        var head = rest[..open];
        var parameters = SplitTopLevel(rest[(open + 1)..^1]);
        var name = head;
        var margs = ImmutableArray<TypeName>.Empty;
        var bracket = head.IndexOf('[');
        if (bracket > 0 && head.EndsWith(']'))
        {
            name = head[..bracket];
            margs = SplitTopLevel(head[(bracket + 1)..^1]).Select(ParseType).ToImmutableArray();
        }

        if (ownerText.StartsWith("(dynamicClass)", StringComparison.Ordinal) || ownerText.StartsWith("<PrivateImplementationDetails>", StringComparison.Ordinal)
            || name.StartsWith("IL_STUB", StringComparison.Ordinal))
        {
            throw new SkipException("a dynamic method, an IL stub or a compiler helper type (no single definition to name)");
        }

        return new MethodName(ParseType(ownerText), name, margs, parameters.ToImmutableArray());
    }

    public static TypeName ParseType(string text)
    {
        text = text.Trim();
        var rank = 0;
        while (text.EndsWith("[]", StringComparison.Ordinal))
        {
            rank++;
            text = text[..^2];
        }

        var bracket = text.IndexOf('[');
        if (bracket < 0)
        {
            return new TypeName(text, [], rank);
        }

        if (!text.EndsWith(']'))
        {
            throw new SkipException("odd type name");
        }

        var args = SplitTopLevel(text[(bracket + 1)..^1]).Select(ParseType).ToImmutableArray();
        return new TypeName(text[..bracket], args, rank);
    }

    private static int FindTopLevel(string text, char wanted)
    {
        var depth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (depth == 0 && c == wanted)
            {
                return i;
            }

            if (c is '[' or '(')
            {
                depth++;
            }
            else if (c is ']' or ')')
            {
                depth--;
            }
        }

        return -1;
    }

    private static List<string> SplitTopLevel(string text)
    {
        var parts = new List<string>();
        if (text.Length == 0)
        {
            return parts;
        }

        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '[' or '(')
            {
                depth++;
            }
            else if (c is ']' or ')')
            {
                depth--;
            }
            else if (c == ',' && depth == 0)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }

        parts.Add(text[start..]);
        return parts;
    }
}

/// <summary>Every type defined in the assemblies of a directory, by full name ('+' for nesting).</summary>
sealed class World
{
    private readonly List<PEReader> keep = [];

    public readonly Dictionary<string, (MetadataReader Reader, TypeDefinitionHandle Handle, string Assembly)> Types = new(StringComparer.Ordinal);

    public World(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory, "*.dll"))
        {
            PEReader pe;
            try
            {
                pe = new PEReader(File.OpenRead(file), PEStreamOptions.PrefetchEntireImage);
                keep.Add(pe);
                if (!pe.HasMetadata)
                {
                    continue;
                }
            }
            catch (BadImageFormatException)
            {
                continue;
            }

            var reader = pe.GetMetadataReader();
            if (!reader.IsAssembly)
            {
                continue;
            }

            var assembly = reader.GetString(reader.GetAssemblyDefinition().Name);
            foreach (var handle in reader.TypeDefinitions)
            {
                Types.TryAdd(FullName(reader, handle), (reader, handle, assembly));
            }
        }
    }

    public static string FullName(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        var name = reader.GetString(type.Name);
        var declaring = type.GetDeclaringType();
        if (!declaring.IsNil)
        {
            return FullName(reader, declaring) + "+" + name;
        }

        var ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    public static bool IsValueType(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var baseType = reader.GetTypeDefinition(handle).BaseType;
        if (baseType.IsNil)
        {
            return false;
        }

        var baseName = baseType.Kind switch
        {
            HandleKind.TypeReference => Qualified(reader, (TypeReferenceHandle)baseType),
            HandleKind.TypeDefinition => FullName(reader, (TypeDefinitionHandle)baseType),
            _ => "",
        };
        return baseName is "System.ValueType" or "System.Enum" && FullName(reader, handle) is not "System.Enum";
    }

    public static string Qualified(MetadataReader reader, TypeReferenceHandle handle)
    {
        var reference = reader.GetTypeReference(handle);
        var name = reader.GetString(reference.Name);
        if (reference.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            return Qualified(reader, (TypeReferenceHandle)reference.ResolutionScope) + "+" + name;
        }

        var ns = reader.GetString(reference.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }
}

/// <summary>Builds the profile assembly: one group method per defining assembly, one ldtoken/pop per method.</summary>
sealed class Emitter(World world)
{
    private readonly MetadataBuilder md = new();
    private readonly Dictionary<string, AssemblyReferenceHandle> assemblies = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), TypeReferenceHandle> typeRefs = new();
    private readonly Dictionary<string, List<EntityHandle>> groups = new(StringComparer.Ordinal);
    /// <summary>Where crossgen2's profile reader finds System.__Canon, the shared form of reference type arguments.</summary>
    private const string CanonAssembly = "System.Private.Canon";

    private HashSet<string> touched = new(StringComparer.Ordinal);

    private static readonly Dictionary<string, PrimitiveTypeCode> Primitives = new(StringComparer.Ordinal)
    {
        ["bool"] = PrimitiveTypeCode.Boolean, ["char"] = PrimitiveTypeCode.Char, ["byte"] = PrimitiveTypeCode.Byte,
        ["ubyte"] = PrimitiveTypeCode.Byte, ["sbyte"] = PrimitiveTypeCode.SByte, ["short"] = PrimitiveTypeCode.Int16,
        ["ushort"] = PrimitiveTypeCode.UInt16, ["int"] = PrimitiveTypeCode.Int32, ["uint"] = PrimitiveTypeCode.UInt32,
        ["long"] = PrimitiveTypeCode.Int64, ["ulong"] = PrimitiveTypeCode.UInt64, ["float"] = PrimitiveTypeCode.Single,
        ["double"] = PrimitiveTypeCode.Double, ["nint"] = PrimitiveTypeCode.IntPtr, ["nuint"] = PrimitiveTypeCode.UIntPtr,
    };

    private static readonly Dictionary<string, string> PrimitiveNames = new(StringComparer.Ordinal)
    {
        ["System.Boolean"] = "bool", ["System.Char"] = "char", ["System.Byte"] = "ubyte", ["System.SByte"] = "byte",
        ["System.Int16"] = "short", ["System.UInt16"] = "ushort", ["System.Int32"] = "int", ["System.UInt32"] = "uint",
        ["System.Int64"] = "long", ["System.UInt64"] = "ulong", ["System.Single"] = "float", ["System.Double"] = "double",
        ["System.IntPtr"] = "nint", ["System.UIntPtr"] = "nuint",
    };

    public void Add(MethodName method)
    {
        touched = new HashSet<string>(StringComparer.Ordinal);
        var owner = Lookup(method.Owner.Name);
        var (reader, handle, assembly) = owner;
        var candidates = reader.GetTypeDefinition(handle).GetMethods()
            .Select(h => (Handle: h, Def: reader.GetMethodDefinition(h)))
            .Where(m => reader.GetString(m.Def.Name) == method.Name)
            .Where(m => m.Def.GetGenericParameters().Count == method.MethodArgs.Length)
            .Where(m => m.Def.DecodeSignature(new ShapeProvider(), null).ParameterTypes.Length == method.Parameters.Length)
            .ToList();
        if (candidates.Count == 0)
        {
            throw new SkipException("no method of that name and arity");
        }

        if (candidates.Count > 1)
        {
            // The JIT prints parameters loosely (byref, ptr, int for an enum): every overload that fits is named.
            candidates = candidates.Where(c => Matches(c.Def, method)).ToList();
            if (candidates.Count is 0 or > 4)
            {
                throw new SkipException(candidates.Count == 0 ? "no overload matches" : "too many overloads match");
            }
        }

        var typeArgCount = reader.GetTypeDefinition(handle).GetGenericParameters().Count;
        if (typeArgCount != method.Owner.Args.Length)
        {
            throw new SkipException("owner's type arguments do not match");
        }

        touched.Add(assembly);
        EntityHandle parent = method.Owner.Args.IsEmpty
            ? TypeRef(assembly, method.Owner.Name)
            : md.AddTypeSpecification(md.GetOrAddBlob(EncodeType(method.Owner)));
        var tokens = new List<EntityHandle>();
        foreach (var candidate in candidates)
        {
            var signature = Rewrite(reader, reader.GetBlobReader(candidate.Def.Signature), isMethod: true);
            EntityHandle token = md.AddMemberReference(parent, md.GetOrAddString(method.Name), md.GetOrAddBlob(signature));
            if (!method.MethodArgs.IsEmpty)
            {
                var inst = new BlobBuilder();
                var encoder = new BlobEncoder(inst).MethodSpecificationSignature(method.MethodArgs.Length);
                foreach (var arg in method.MethodArgs)
                {
                    Encode(encoder.AddArgument(), arg);
                }

                token = md.AddMethodSpecification(token, md.GetOrAddBlob(inst));
            }

            tokens.Add(token);
        }

        // One group per set of assemblies a method needs (the defining one first): crossgen2 reads a group only when
        // every assembly it names is being compiled, so a method another platform's build lacks drops alone.
        var key = string.Join(";", touched.Where(a => a != assembly && a != CanonAssembly).Order(StringComparer.Ordinal).Prepend(assembly));
        if (!groups.TryGetValue(key, out var list))
        {
            groups[key] = list = [];
        }

        list.AddRange(tokens);
    }

    /// <summary>Loose overload match: compares the parameters the JIT printed as class names.</summary>
    private bool Matches(MethodDefinition def, MethodName method)
    {
        var shape = def.DecodeSignature(new ShapeProvider(), null);
        for (var i = 0; i < shape.ParameterTypes.Length; i++)
        {
            var printed = method.Parameters[i];
            var declared = shape.ParameterTypes[i];
            if (printed is "byref" or "ptr")
            {
                if (declared is not ("byref" or "ptr"))
                {
                    return false;
                }

                continue;
            }

            if (declared is "byref" or "ptr")
            {
                return false;
            }

            var printedBase = printed.Split('[')[0];
            if (declared.StartsWith('!') || (Primitives.ContainsKey(printedBase) && IsEnum(declared)))
            {
                continue; // a generic parameter (anything), or an enum the JIT prints as its underlying type
            }

            if (PrimitiveNames.TryGetValue(declared, out var keyword))
            {
                if (printedBase != keyword && !(keyword == "ubyte" && printedBase == "byte"))
                {
                    return false;
                }

                continue;
            }

            if (printedBase != declared)
            {
                return false;
            }
        }

        return true;
    }

    private bool IsEnum(string name) =>
        world.Types.TryGetValue(name, out var type) && type.Reader.GetTypeDefinition(type.Handle).BaseType is { IsNil: false, Kind: HandleKind.TypeReference } baseType
            && World.Qualified(type.Reader, (TypeReferenceHandle)baseType) == "System.Enum";

    private (MetadataReader Reader, TypeDefinitionHandle Handle, string Assembly) Lookup(string name)
    {
        if (!world.Types.TryGetValue(name, out var found))
        {
            throw new SkipException("type not found");
        }

        return found;
    }

    private AssemblyReferenceHandle AssemblyRef(string name)
    {
        if (!assemblies.TryGetValue(name, out var handle))
        {
            handle = md.AddAssemblyReference(md.GetOrAddString(name), new Version(0, 0, 0, 0), default, default, default, default);
            assemblies[name] = handle;
        }

        return handle;
    }

    private TypeReferenceHandle TypeRef(string assembly, string fullName)
    {
        if (typeRefs.TryGetValue((assembly, fullName), out var handle))
        {
            return handle;
        }

        var plus = fullName.LastIndexOf('+');
        EntityHandle scope;
        string ns, name;
        if (plus >= 0)
        {
            scope = TypeRef(assembly, fullName[..plus]);
            ns = "";
            name = fullName[(plus + 1)..];
        }
        else
        {
            scope = AssemblyRef(assembly);
            var dot = fullName.LastIndexOf('.');
            ns = dot < 0 ? "" : fullName[..dot];
            name = dot < 0 ? fullName : fullName[(dot + 1)..];
        }

        handle = md.AddTypeReference(scope, md.GetOrAddString(ns), md.GetOrAddString(name));
        typeRefs[(assembly, fullName)] = handle;
        return handle;
    }

    private BlobBuilder EncodeType(TypeName type)
    {
        var blob = new BlobBuilder();
        Encode(new SignatureTypeEncoder(blob), type);
        return blob;
    }

    private void Encode(SignatureTypeEncoder encoder, TypeName type)
    {
        if (type.ArrayRank > 0)
        {
            Encode(encoder.SZArray(), type with { ArrayRank = type.ArrayRank - 1 });
            return;
        }

        if (Primitives.TryGetValue(type.Name, out var primitive))
        {
            encoder.PrimitiveType(primitive);
            return;
        }

        switch (type.Name)
        {
            case "System.Object":
                encoder.Object();
                return;
            case "System.String":
                encoder.String();
                return;
            case "System.__Canon":
                encoder.Type(TypeRef(CanonAssembly, "System.__Canon"), isValueType: false);
                return;
        }

        var (reader, handle, assembly) = Lookup(type.Name);
        touched.Add(assembly);
        var valueType = World.IsValueType(reader, handle);
        var reference = TypeRef(assembly, type.Name);
        if (type.Args.IsEmpty)
        {
            encoder.Type(reference, valueType);
            return;
        }

        var args = encoder.GenericInstantiation(reference, type.Args.Length, valueType);
        foreach (var arg in type.Args)
        {
            Encode(args.AddArgument(), arg);
        }
    }

    /// <summary>Copies a signature from another assembly, its type tokens re-pointed at this one's references.</summary>
    private BlobBuilder Rewrite(MetadataReader source, BlobReader blob, bool isMethod)
    {
        var output = new BlobBuilder();
        if (isMethod)
        {
            CopyMethodSignature(source, ref blob, output);
        }
        else
        {
            CopyType(source, ref blob, output);
        }

        return output;
    }

    /// <summary>Calling convention, generic arity when generic, parameter count, return type, parameters.</summary>
    private void CopyMethodSignature(MetadataReader source, ref BlobReader blob, BlobBuilder output)
    {
        var header = blob.ReadByte();
        output.WriteByte(header);
        if ((header & 0x10) != 0)
        {
            output.WriteCompressedInteger(blob.ReadCompressedInteger());
        }

        var count = blob.ReadCompressedInteger();
        output.WriteCompressedInteger(count);
        for (var i = 0; i <= count; i++)
        {
            CopyType(source, ref blob, output);
        }
    }

    private void CopyType(MetadataReader source, ref BlobReader blob, BlobBuilder output)
    {
        var code = blob.ReadByte();
        output.WriteByte(code);
        switch (code)
        {
            case 0x01: // void
            case >= 0x02 and <= 0x0e: // primitives, string
            case 0x16: // typedbyref
            case 0x18 or 0x19 or 0x1c: // I, U, object
                return;
            case 0x0f or 0x10 or 0x1d or 0x45: // ptr, byref, szarray, pinned
                CopyType(source, ref blob, output);
                return;
            case 0x11 or 0x12: // valuetype, class
                output.WriteCompressedInteger(CodedIndex.TypeDefOrRefOrSpec(Map(source, blob.ReadTypeHandle())));
                return;
            case 0x13 or 0x1e: // var, mvar
                output.WriteCompressedInteger(blob.ReadCompressedInteger());
                return;
            case 0x14: // array
            {
                CopyType(source, ref blob, output);
                output.WriteCompressedInteger(blob.ReadCompressedInteger());
                var sizes = blob.ReadCompressedInteger();
                output.WriteCompressedInteger(sizes);
                for (var i = 0; i < sizes; i++)
                {
                    output.WriteCompressedInteger(blob.ReadCompressedInteger());
                }

                var bounds = blob.ReadCompressedInteger();
                output.WriteCompressedInteger(bounds);
                for (var i = 0; i < bounds; i++)
                {
                    output.WriteCompressedSignedInteger(blob.ReadCompressedSignedInteger());
                }

                return;
            }

            case 0x15: // generic instantiation
            {
                output.WriteByte(blob.ReadByte());
                output.WriteCompressedInteger(CodedIndex.TypeDefOrRefOrSpec(Map(source, blob.ReadTypeHandle())));
                var count = blob.ReadCompressedInteger();
                output.WriteCompressedInteger(count);
                for (var i = 0; i < count; i++)
                {
                    CopyType(source, ref blob, output);
                }

                return;
            }

            case 0x1b: // function pointer
                CopyMethodSignature(source, ref blob, output);
                return;

            case 0x1f or 0x20: // custom modifiers
                output.WriteCompressedInteger(CodedIndex.TypeDefOrRefOrSpec(Map(source, blob.ReadTypeHandle())));
                CopyType(source, ref blob, output);
                return;
            default:
                throw new SkipException($"signature element 0x{code:x2}");
        }
    }

    private EntityHandle Map(MetadataReader source, EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition:
            {
                var name = World.FullName(source, (TypeDefinitionHandle)handle);
                var assembly = source.GetString(source.GetAssemblyDefinition().Name);
                touched.Add(assembly);
                return TypeRef(assembly, name);
            }

            case HandleKind.TypeReference:
            {
                var reference = (TypeReferenceHandle)handle;
                var scope = source.GetTypeReference(reference).ResolutionScope;
                while (scope.Kind == HandleKind.TypeReference)
                {
                    scope = source.GetTypeReference((TypeReferenceHandle)scope).ResolutionScope;
                }

                var name = World.Qualified(source, reference);
                var assembly = scope.Kind == HandleKind.AssemblyReference
                    ? source.GetString(source.GetAssemblyReference((AssemblyReferenceHandle)scope).Name)
                    : source.GetString(source.GetAssemblyDefinition().Name);
                // Point at the defining assembly where known (forwarders resolve either way).
                if (world.Types.TryGetValue(name, out var defined))
                {
                    assembly = defined.Assembly;
                }

                touched.Add(assembly);
                return TypeRef(assembly, name);
            }

            case HandleKind.TypeSpecification:
            {
                var spec = source.GetTypeSpecification((TypeSpecificationHandle)handle);
                return md.AddTypeSpecification(md.GetOrAddBlob(Rewrite(source, source.GetBlobReader(spec.Signature), isMethod: false)));
            }

            default:
                throw new SkipException("odd type token");
        }
    }

    public void Write(string path)
    {
        var il = new BlobBuilder();
        var bodies = new MethodBodyStreamEncoder(il);
        var groupMethods = new List<(string Name, int Offset)>();
        foreach (var (key, tokens) in groups)
        {
            var code = new InstructionEncoder(new BlobBuilder());
            foreach (var token in tokens)
            {
                code.OpCode(ILOpCode.Ldtoken);
                code.Token(token);
                code.OpCode(ILOpCode.Pop);
            }

            code.OpCode(ILOpCode.Ret);
            groupMethods.Add(("Group" + groupMethods.Count, bodies.AddMethodBody(code)));
        }

        var voidSig = new BlobBuilder();
        new BlobEncoder(voidSig).MethodSignature().Parameters(0, r => r.Void(), _ => { });
        var voidSigHandle = md.GetOrAddBlob(voidSig);

        // Method definitions: the groups first (rows 1..n), then AssemblyDictionary (row n+1).
        var dictionary = new InstructionEncoder(new BlobBuilder());
        var row = 1;
        foreach (var (key, _) in groups)
        {
            dictionary.LoadString(md.GetOrAddUserString(key));
            dictionary.OpCode(ILOpCode.Ldtoken);
            dictionary.Token(MetadataTokens.MethodDefinitionHandle(row++));
            dictionary.OpCode(ILOpCode.Pop);
        }

        dictionary.OpCode(ILOpCode.Ret);
        var dictionaryOffset = bodies.AddMethodBody(dictionary);

        md.AddModule(0, md.GetOrAddString("bb.mibc.dll"), md.GetOrAddGuid(new Guid("6d1b0c2e-5b0e-4c53-9a51-62622e6d6962")), default, default);
        md.AddAssembly(md.GetOrAddString("bb.mibc"), new Version(1, 0, 0, 0), default, default, default, AssemblyHashAlgorithm.None);
        var first = MetadataTokens.MethodDefinitionHandle(1);
        md.AddTypeDefinition(default, default, md.GetOrAddString("<Module>"), default, MetadataTokens.FieldDefinitionHandle(1), first);
        foreach (var (name, offset) in groupMethods)
        {
            md.AddMethodDefinition(MethodAttributes.Public | MethodAttributes.Static, MethodImplAttributes.IL, md.GetOrAddString(name), voidSigHandle, offset, MetadataTokens.ParameterHandle(1));
        }

        md.AddMethodDefinition(MethodAttributes.Public | MethodAttributes.Static, MethodImplAttributes.IL, md.GetOrAddString("AssemblyDictionary"), voidSigHandle, dictionaryOffset, MetadataTokens.ParameterHandle(1));

        var pe = new ManagedPEBuilder(new PEHeaderBuilder(imageCharacteristics: Characteristics.Dll | Characteristics.ExecutableImage), new MetadataRootBuilder(md), il, deterministicIdProvider: content => new BlobContentId(Guid.Empty, 0));
        var output = new BlobBuilder();
        pe.Serialize(output);
        File.WriteAllBytes(path, output.ToArray());
    }
}

/// <summary>Names of a signature's parameters: full type names, "byref"/"ptr", or "!n" for generic parameters.</summary>
sealed class ShapeProvider : ISignatureTypeProvider<string, object?>
{
    public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[,]";
    public string GetByReferenceType(string elementType) => "byref";
    public string GetFunctionPointerType(MethodSignature<string> signature) => "ptr";
    public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType;
    public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;
    public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;
    public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
    public string GetPinnedType(string elementType) => elementType;
    public string GetPointerType(string elementType) => "ptr";
    public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
    {
        PrimitiveTypeCode.Object => "System.Object",
        PrimitiveTypeCode.String => "System.String",
        PrimitiveTypeCode.TypedReference => "System.TypedReference",
        _ => "System." + typeCode switch
        {
            PrimitiveTypeCode.Boolean => "Boolean", PrimitiveTypeCode.Char => "Char", PrimitiveTypeCode.SByte => "SByte",
            PrimitiveTypeCode.Byte => "Byte", PrimitiveTypeCode.Int16 => "Int16", PrimitiveTypeCode.UInt16 => "UInt16",
            PrimitiveTypeCode.Int32 => "Int32", PrimitiveTypeCode.UInt32 => "UInt32", PrimitiveTypeCode.Int64 => "Int64",
            PrimitiveTypeCode.UInt64 => "UInt64", PrimitiveTypeCode.Single => "Single", PrimitiveTypeCode.Double => "Double",
            PrimitiveTypeCode.IntPtr => "IntPtr", PrimitiveTypeCode.UIntPtr => "UIntPtr", _ => "Void",
        },
    };
    public string GetSZArrayType(string elementType) => elementType + "[]";
    public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => World.FullName(reader, handle);
    public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => World.Qualified(reader, handle);
    public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) => "spec";
}

/// <summary>Reads a profile back the way crossgen2 does: AssemblyDictionary's groups, each group's ldtoken operands.</summary>
static class ProfileReader
{
    public static IEnumerable<string> Methods(string path)
    {
        using var pe = new PEReader(File.OpenRead(path), PEStreamOptions.PrefetchEntireImage);
        var reader = pe.GetMetadataReader();
        var methods = reader.MethodDefinitions.Select(h => (Handle: h, Def: reader.GetMethodDefinition(h))).ToList();
        var dictionary = methods.Single(m => reader.GetString(m.Def.Name) == "AssemblyDictionary");
        var names = new List<string>();
        foreach (var group in Tokens(pe, dictionary.Def).Where(t => t.Kind == HandleKind.MethodDefinition))
        {
            foreach (var token in Tokens(pe, reader.GetMethodDefinition((MethodDefinitionHandle)group)))
            {
                names.Add(Name(reader, token));
            }
        }

        return names;
    }

    /// <summary>The operands of a method body's ldtoken instructions (the bodies this tool writes hold ldstr, ldtoken, pop and ret only).</summary>
    private static List<EntityHandle> Tokens(PEReader pe, MethodDefinition method)
    {
        var il = pe.GetMethodBody(method.RelativeVirtualAddress).GetILReader();
        var tokens = new List<EntityHandle>();
        while (il.RemainingBytes > 0)
        {
            var opcode = il.ReadByte();
            switch (opcode)
            {
                case 0xD0: // ldtoken
                    tokens.Add(MetadataTokens.EntityHandle(il.ReadInt32()));
                    break;
                case 0x72: // ldstr
                    il.ReadInt32();
                    break;
                case 0x26 or 0x2A: // pop, ret
                    break;
                default:
                    throw new InvalidDataException($"unexpected opcode 0x{opcode:x2} in the profile");
            }
        }

        return tokens;
    }

    private static string Name(MetadataReader reader, EntityHandle token)
    {
        switch (token.Kind)
        {
            case HandleKind.MethodSpecification:
                return Name(reader, reader.GetMethodSpecification((MethodSpecificationHandle)token).Method) + "<…>";
            case HandleKind.MemberReference:
            {
                var member = reader.GetMemberReference((MemberReferenceHandle)token);
                var owner = member.Parent.Kind switch
                {
                    HandleKind.TypeReference => World.Qualified(reader, (TypeReferenceHandle)member.Parent),
                    HandleKind.TypeSpecification => SpecName(reader, (TypeSpecificationHandle)member.Parent),
                    _ => "?",
                };
                return owner + "::" + reader.GetString(member.Name);
            }

            default:
                return "?";
        }
    }

    /// <summary>A generic instantiation's type, without its arguments.</summary>
    private static string SpecName(MetadataReader reader, TypeSpecificationHandle handle)
    {
        var blob = reader.GetBlobReader(reader.GetTypeSpecification(handle).Signature);
        if (blob.ReadByte() != 0x15)
        {
            return "?";
        }

        blob.ReadByte();
        var generic = blob.ReadTypeHandle();
        return generic.Kind == HandleKind.TypeReference ? World.Qualified(reader, (TypeReferenceHandle)generic) + "<…>" : "?";
    }
}
