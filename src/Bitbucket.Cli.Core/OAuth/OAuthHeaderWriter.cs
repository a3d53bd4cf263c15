using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;

namespace Bitbucket.Cli.Core.OAuth;

/// <summary>
/// The single-pass form of <see cref="OAuthRequestSigner.CreateAuthorizationHeader"/>: the RFC 5849 steps
/// of <see cref="OAuthSignatureBase"/> (§3.4.1), <see cref="OAuthSignature"/> (§3.4.2–§3.4.4) and
/// <see cref="OAuthRequestSigner.FormatAuthorizationHeader"/> (§3.5.1), with every intermediate (the
/// encoded parameters, their order, the base string, the key, the digest) in pooled or stack buffers.
/// A signature allocates the header string and nothing else that grows with the request.
/// </summary>
/// <remarks>
/// The step-by-step classes stay the reference: servers (the local provider) and tests use them, and
/// <c>SinglePassSignerTests</c> checks this writer against their composition on generated and awkward
/// requests (invalid UTF-8 in the query, lone surrogates, repeated and excluded names). Inputs that the
/// reference would turn into U+FFFD are rare, so this writer hands those values to the reference code
/// rather than repeat its replacement rules.
/// </remarks>
[SkipLocalsInit] // stack buffers are written before they are read; zeroing them was a visible share of a signature
internal static class OAuthHeaderWriter
{
    /// <summary>Above this many parameters the order is found with <see cref="Array.Sort{T}(T[], int, int, IComparer{T})"/>.</summary>
    private const int InsertionSortLimit = 32;

    public static string Create(
        string method,
        Uri uri,
        string? formBody,
        OAuthCredentials credentials,
        string nonce,
        long timestamp,
        IEnumerable<KeyValuePair<string, string>>? extraOAuthParameters)
    {
        // The same checks, in the same order, as the step-by-step path.
        IReadOnlyList<KeyValuePair<string, string>>? protocolWithExtras = null;
        if (extraOAuthParameters is null)
        {
            ArgumentNullException.ThrowIfNull(credentials);
            ArgumentException.ThrowIfNullOrEmpty(credentials.ConsumerKey, nameof(credentials));
            ArgumentException.ThrowIfNullOrEmpty(nonce);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(timestamp);
        }
        else
        {
            protocolWithExtras = OAuthRequestSigner.ProtocolParameters(credentials, nonce, timestamp, extraOAuthParameters);
        }

        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri)
        {
            throw new ArgumentException("OAuth signing needs an absolute request URI.", nameof(uri));
        }

        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(credentials.ConsumerSecret, "consumerSecret");
        var signatureMethod = SignatureMethods.ToWire(credentials.Method);
        if (credentials.Method == SignatureMethod.RsaSha1)
        {
            OAuthSignature.RequireKey(credentials.PrivateKey, "private");
        }

        var query = uri.Query;
        var parameters = new ParameterList(64 + (query.Length * 3) + ((formBody?.Length ?? 0) * 3));
        try
        {
            // §3.4.1.3.1: the query, the protocol parameters, the form body.
            if (query.Length > 1)
            {
                parameters.AddFormEncoded(query.AsSpan(1));
            }

            var firstProtocol = parameters.Count;
            if (protocolWithExtras is null)
            {
                parameters.Add("oauth_consumer_key", credentials.ConsumerKey);
                if (!string.IsNullOrEmpty(credentials.Token))
                {
                    parameters.Add("oauth_token", credentials.Token);
                }

                parameters.Add("oauth_signature_method", signatureMethod);
                Span<char> digits = stackalloc char[20];
                timestamp.TryFormat(digits, out var digitCount, provider: CultureInfo.InvariantCulture);
                parameters.Add("oauth_timestamp", digits[..digitCount]);
                parameters.Add("oauth_nonce", nonce);
                parameters.Add("oauth_version", "1.0");
            }
            else
            {
                foreach (var (name, value) in protocolWithExtras)
                {
                    parameters.Add(name, value);
                }
            }

            var protocolCount = parameters.Count - firstProtocol;
            if (!string.IsNullOrEmpty(formBody))
            {
                parameters.AddFormEncoded(formBody);
            }

            var signature = new CharBuffer(64);
            try
            {
                Sign(method, uri, credentials, ref parameters, ref signature);
                return FormatHeader(credentials.Realm, ref parameters, firstProtocol, protocolCount, signature.Written);
            }
            finally
            {
                signature.Dispose();
            }
        }
        finally
        {
            parameters.Dispose();
        }
    }

    /// <summary>§3.4: writes the raw (not yet percent-encoded) <c>oauth_signature</c> into <paramref name="signature"/>.</summary>
    private static void Sign(string method, Uri uri, OAuthCredentials credentials, ref ParameterList parameters, ref CharBuffer signature)
    {
        // §3.4.2 key and §3.4.4 signature: enc(consumer secret) & enc(token secret).
        var key = new CharBuffer(16 + ((credentials.ConsumerSecret.Length + (credentials.TokenSecret?.Length ?? 0)) * 9));
        byte[]? baseBytes = null;
        try
        {
            key.AppendEncoded(credentials.ConsumerSecret);
            key.Append('&');
            key.AppendEncoded(credentials.TokenSecret ?? "");
            if (credentials.Method == SignatureMethod.Plaintext)
            {
                signature.Append(key.Written);
                return;
            }

            var baseLength = WriteBaseString(method, uri, ref parameters, out baseBytes);
            var data = baseBytes.AsSpan(0, baseLength);
            Span<byte> digest = stackalloc byte[HMACSHA256.HashSizeInBytes];
            byte[]? rsaSignature = null;
            try
            {
                int digestLength;
                switch (credentials.Method)
                {
                    case SignatureMethod.HmacSha1:
                    case SignatureMethod.HmacSha256:
                        // The key is ASCII (it is percent-encoded), so its bytes are its chars.
                        Span<byte> keyBytes = key.Written.Length <= 256 ? stackalloc byte[256] : new byte[key.Written.Length];
                        for (var i = 0; i < key.Written.Length; i++)
                        {
                            keyBytes[i] = (byte)key.Written[i];
                        }

                        keyBytes = keyBytes[..key.Written.Length];
                        digestLength = HmacCache.HashData(credentials.Method, keyBytes, data, digest);
                        CryptographicOperations.ZeroMemory(keyBytes);
                        AppendBase64(ref signature, digest[..digestLength]);
                        break;
                    case SignatureMethod.RsaSha1:
                        var rsa = credentials.PrivateKey!;
                        rsaSignature = ArrayPool<byte>.Shared.Rent((rsa.KeySize + 7) / 8);
                        if (!rsa.TrySignData(data, rsaSignature, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1, out digestLength))
                        {
                            throw new CryptographicException("The RSA signature did not fit its buffer.");
                        }

                        AppendBase64(ref signature, rsaSignature.AsSpan(0, digestLength));
                        break;
                    default:
                        throw new ArgumentOutOfRangeException(nameof(credentials), credentials.Method, "Unknown OAuth signature method.");
                }
            }
            finally
            {
                if (rsaSignature is not null)
                {
                    ArrayPool<byte>.Shared.Return(rsaSignature);
                }
            }
        }
        finally
        {
            key.Clear();
            key.Dispose();
            if (baseBytes is not null)
            {
                ArrayPool<byte>.Shared.Return(baseBytes);
            }
        }
    }

    /// <summary>
    /// §3.4.1.1: <c>enc(UPPER(method)) &amp; enc(base string URI) &amp; enc(normalized parameters)</c> as ASCII
    /// bytes in a pooled array (returned through <paramref name="bytes"/>); the result is its length.
    /// </summary>
    private static int WriteBaseString(string method, Uri uri, ref ParameterList parameters, out byte[] bytes)
    {
        // §3.4.1.3.2: sort by encoded name, then encoded value; oauth_signature and realm are never signed.
        var count = parameters.Count;
        var order = ArrayPool<int>.Shared.Rent(Math.Max(count, 1));
        try
        {
            var included = 0;
            var normalizedLength = 0;
            for (var i = 0; i < count; i++)
            {
                var name = parameters.Name(i);
                if (name is "oauth_signature" or "realm")
                {
                    continue;
                }

                order[included++] = i;
                normalizedLength += name.Length + 1 + parameters.Value(i).Length + 1;
            }

            parameters.Sort(order, included);

            var baseUri = OAuthSignatureBase.BaseStringUri(uri);

            // Upper bounds: a once-encoded char becomes at most 3 chars again; a raw char at most 9.
            var capacity = ((method.Length + baseUri.Length) * 9) + (normalizedLength * 3) + 8;
            bytes = ArrayPool<byte>.Shared.Rent(capacity);
            var writer = new ByteWriter(bytes);
            if (Ascii.IsValid(method))
            {
                Span<char> upper = method.Length <= 32 ? stackalloc char[32] : new char[method.Length];
                Ascii.ToUpper(method, upper, out var upperLength);
                writer.AppendEncodedAscii(upper[..upperLength]);
            }
            else
            {
                writer.AppendEncoded(method.ToUpperInvariant());
            }

            writer.Append((byte)'&');
            writer.AppendEncoded(baseUri);
            writer.Append((byte)'&');
            for (var k = 0; k < included; k++)
            {
                var i = order[k];
                if (k > 0)
                {
                    writer.AppendEscape((byte)'&');
                }

                writer.AppendEncodedAscii(parameters.Name(i));
                writer.AppendEscape((byte)'=');
                writer.AppendEncodedAscii(parameters.Value(i));
            }

            return writer.Length;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(order);
        }
    }

    /// <summary>§3.5.1: <c>OAuth realm="…", name="value", …, oauth_signature="…"</c>, everything percent-encoded.</summary>
    private static string FormatHeader(string? realm, ref ParameterList parameters, int firstProtocol, int protocolCount, ReadOnlySpan<char> signature)
    {
        var capacity = 32 + ((realm?.Length ?? 0) * 9) + (signature.Length * 3);
        for (var i = firstProtocol; i < firstProtocol + protocolCount; i++)
        {
            capacity += parameters.Name(i).Length + parameters.Value(i).Length + 5;
        }

        var header = new CharBuffer(capacity);
        try
        {
            header.Append("OAuth ");
            var first = true;
            if (realm is not null)
            {
                header.Append("realm=\"");
                header.AppendEncoded(realm);
                header.Append('"');
                first = false;
            }

            for (var i = firstProtocol; i < firstProtocol + protocolCount; i++)
            {
                if (!first)
                {
                    header.Append(", ");
                }

                first = false;
                header.Append(parameters.Name(i));
                header.Append("=\"");
                header.Append(parameters.Value(i));
                header.Append('"');
            }

            header.Append(first ? "oauth_signature=\"" : ", oauth_signature=\"");
            header.AppendEncoded(signature);
            header.Append('"');
            return new string(header.Written);
        }
        finally
        {
            header.Dispose();
        }
    }

    private static void AppendBase64(ref CharBuffer buffer, ReadOnlySpan<byte> bytes)
    {
        // An HMAC-SHA256 digest is 44 chars; an RSA signature (hundreds) may take an array.
        var length = ((bytes.Length + 2) / 3) * 4;
        Span<char> chars = length <= 64 ? stackalloc char[64] : new char[length];
        Convert.TryToBase64Chars(bytes, chars, out var written);
        buffer.Append(chars[..written]);
    }

    /// <summary>
    /// One keyed HMAC per thread, reused while the key stays the same: a one-shot
    /// <see cref="HMACSHA1.HashData(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte})"/> sets up a new
    /// OpenSSL MAC context on every call, which is more than half the cost of a signature
    /// (docs/benchmarks.md). A process signs with one consumer and token, so the key rarely changes.
    /// </summary>
    private static class HmacCache
    {
        [ThreadStatic]
        private static IncrementalHash? hash;

        [ThreadStatic]
        private static byte[]? hashKey;

        [ThreadStatic]
        private static SignatureMethod hashMethod;

        public static int HashData(SignatureMethod method, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination)
        {
            if (hash is null || hashMethod != method || !key.SequenceEqual(hashKey))
            {
                hash?.Dispose();
                if (hashKey is not null)
                {
                    CryptographicOperations.ZeroMemory(hashKey);
                }

                hash = IncrementalHash.CreateHMAC(method == SignatureMethod.HmacSha1 ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256, key);
                hashKey = key.ToArray();
                hashMethod = method;
            }

            hash.AppendData(data);
            return hash.GetHashAndReset(destination);
        }
    }

    /// <summary><c>%XX</c> with upper-case hex (§3.6); returns the 3 written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int WriteEscape(Span<char> destination, byte b)
    {
        destination[2] = OAuthEncoding.UpperHex[b & 0xF];
        destination[1] = OAuthEncoding.UpperHex[b >> 4];
        destination[0] = '%';
        return 3;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int WriteEscape(Span<byte> destination, byte b)
    {
        destination[2] = (byte)OAuthEncoding.UpperHex[b & 0xF];
        destination[1] = (byte)OAuthEncoding.UpperHex[b >> 4];
        destination[0] = (byte)'%';
        return 3;
    }

    /// <summary>
    /// Percent-encoded (§3.6) names and values in one pooled char array, in the order they were
    /// collected; entry <c>i</c> is name <c>[4i, 4i+1]</c> and value <c>[4i+2, 4i+3]</c> (start, length).
    /// </summary>
    private struct ParameterList
    {
        private CharBuffer chars;
        private int[] entries;

        public ParameterList(int capacity)
        {
            chars = new CharBuffer(capacity);
            entries = ArrayPool<int>.Shared.Rent(64);
            Count = 0;
        }

        public int Count { get; private set; }

        public readonly ReadOnlySpan<char> Name(int i) => chars.Slice(entries[4 * i], entries[(4 * i) + 1]);

        public readonly ReadOnlySpan<char> Value(int i) => chars.Slice(entries[(4 * i) + 2], entries[(4 * i) + 3]);

        /// <summary>A protocol parameter: name and value encoded as they are (§3.6).</summary>
        public void Add(ReadOnlySpan<char> name, ReadOnlySpan<char> value)
        {
            var nameStart = chars.Length;
            chars.AppendEncoded(name);
            var valueStart = chars.Length;
            chars.AppendEncoded(value);
            Record(nameStart, valueStart - nameStart, valueStart, chars.Length - valueStart);
        }

        /// <summary>
        /// A query or form body (§3.4.1.3.1): split on <c>&amp;</c> (empty pairs skipped), name and value on
        /// the first <c>=</c>, each form-decoded and then encoded (§3.6), as <see cref="OAuthEncoding.ParseQueryOrForm"/> does.
        /// </summary>
        public void AddFormEncoded(ReadOnlySpan<char> text)
        {
            while (text.Length > 0)
            {
                var end = text.IndexOf('&');
                var pair = end < 0 ? text : text[..end];
                text = end < 0 ? default : text[(end + 1)..];
                if (pair.Length == 0)
                {
                    continue;
                }

                var equals = pair.IndexOf('=');
                var name = equals < 0 ? pair : pair[..equals];
                var value = equals < 0 ? default : pair[(equals + 1)..];
                var nameStart = chars.Length;
                AppendFormDecodedThenEncoded(name);
                var valueStart = chars.Length;
                AppendFormDecodedThenEncoded(value);
                Record(nameStart, valueStart - nameStart, valueStart, chars.Length - valueStart);
            }
        }

        public readonly void Sort(int[] order, int count)
        {
            if (count <= InsertionSortLimit)
            {
                for (var i = 1; i < count; i++)
                {
                    var current = order[i];
                    var j = i - 1;
                    while (j >= 0 && Compare(order[j], current) > 0)
                    {
                        order[j + 1] = order[j];
                        j--;
                    }

                    order[j + 1] = current;
                }

                return;
            }

            var self = this;
            Array.Sort(order, 0, count, Comparer<int>.Create((a, b) => self.Compare(a, b)));
        }

        public void Dispose()
        {
            chars.Dispose();
            ArrayPool<int>.Shared.Return(entries);
            entries = [];
        }

        /// <summary>Encoded strings are ASCII, so comparing chars is comparing bytes.</summary>
        private readonly int Compare(int a, int b)
        {
            var byName = Name(a).SequenceCompareTo(Name(b));
            return byName != 0 ? byName : Value(a).SequenceCompareTo(Value(b));
        }

        private void Record(int nameStart, int nameLength, int valueStart, int valueLength)
        {
            if ((4 * Count) + 4 > entries.Length)
            {
                var larger = ArrayPool<int>.Shared.Rent(entries.Length * 2);
                entries.AsSpan().CopyTo(larger);
                ArrayPool<int>.Shared.Return(entries);
                entries = larger;
            }

            entries[4 * Count] = nameStart;
            entries[(4 * Count) + 1] = nameLength;
            entries[(4 * Count) + 2] = valueStart;
            entries[(4 * Count) + 3] = valueLength;
            Count++;
        }

        /// <summary>
        /// <see cref="OAuthEncoding.PercentDecode"/> after <c>+</c> → space, into UTF-8 bytes, then encoded.
        /// Decoded bytes that are not valid UTF-8 go through the reference decoder, which turns them into U+FFFD.
        /// </summary>
        private void AppendFormDecodedThenEncoded(ReadOnlySpan<char> component)
        {
            var max = Encoding.UTF8.GetMaxByteCount(component.Length);
            byte[]? rented = null;
            Span<byte> bytes = max <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(max));
            try
            {
                var count = 0;
                var i = 0;
                while (i < component.Length)
                {
                    if (component[i] == '%' && i + 2 < component.Length
                        && char.IsAsciiHexDigit(component[i + 1]) && char.IsAsciiHexDigit(component[i + 2]))
                    {
                        bytes[count++] = (byte)((OAuthEncoding.HexValue(component[i + 1]) << 4) | OAuthEncoding.HexValue(component[i + 2]));
                        i += 3;
                        continue;
                    }

                    // A literal run up to the next '%' (a stray '%' starts its own), UTF-8 encoded as one piece.
                    var next = component[(i + 1)..].IndexOf('%');
                    next = next < 0 ? component.Length : i + 1 + next;
                    var written = Encoding.UTF8.GetBytes(component[i..next], bytes[count..]);
                    for (var b = count; b < count + written; b++)
                    {
                        if (bytes[b] == (byte)'+')
                        {
                            bytes[b] = (byte)' ';
                        }
                    }

                    count += written;
                    i = next;
                }

                var decoded = bytes[..count];
                if (Utf8.IsValid(decoded))
                {
                    chars.AppendEncodedBytes(decoded);
                }
                else
                {
                    chars.AppendEncoded(Encoding.UTF8.GetString(decoded));
                }
            }
            finally
            {
                if (rented is not null)
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }
            }
        }
    }

    /// <summary>A growable char buffer over <see cref="ArrayPool{T}"/>.</summary>
    private struct CharBuffer
    {
        private char[] array;

        public CharBuffer(int capacity)
        {
            array = ArrayPool<char>.Shared.Rent(Math.Max(capacity, 16));
            Length = 0;
        }

        public int Length { get; private set; }

        public readonly ReadOnlySpan<char> Written => array.AsSpan(0, Length);

        public readonly ReadOnlySpan<char> Slice(int start, int length) => array.AsSpan(start, length);

        public void Append(char c)
        {
            Ensure(1);
            array[Length++] = c;
        }

        public void Append(ReadOnlySpan<char> text)
        {
            Ensure(text.Length);
            text.CopyTo(array.AsSpan(Length));
            Length += text.Length;
        }

        /// <summary>§3.6: the UTF-8 octets of <paramref name="text"/>, unreserved ones as they are, others as <c>%XX</c>.</summary>
        public void AppendEncoded(ReadOnlySpan<char> text)
        {
            Ensure(text.Length * 9); // a char is at most 3 UTF-8 bytes, a byte at most 3 chars

            // Runs of unreserved chars are copied in bulk (vectorised search); ASCII others are escaped here.
            var destination = array.AsSpan(Length);
            var n = 0;
            var rest = ReadOnlySpan<char>.Empty;
            while (true)
            {
                var run = text.IndexOfAnyExcept(OAuthEncoding.UnreservedChars);
                var plain = run < 0 ? text : text[..run];
                plain.CopyTo(destination[n..]);
                n += plain.Length;
                if (run < 0)
                {
                    break;
                }

                if (text[run] >= 0x80)
                {
                    rest = text[run..];
                    break;
                }

                n += WriteEscape(destination[n..], (byte)text[run]);
                text = text[(run + 1)..];
            }

            Length += n;
            if (rest.IsEmpty)
            {
                return;
            }

            // Lone surrogates become U+FFFD (EF BF BD), as Encoding.UTF8.GetBytes does in the reference.
            var max = Encoding.UTF8.GetMaxByteCount(rest.Length);
            byte[]? rented = null;
            Span<byte> bytes = max <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(max));
            var count = Encoding.UTF8.GetBytes(rest, bytes);
            AppendEncodedBytes(bytes[..count]);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        public void AppendEncodedBytes(ReadOnlySpan<byte> bytes)
        {
            Ensure(bytes.Length * 3);
            var destination = array.AsSpan(Length);
            var n = 0;
            foreach (var b in bytes)
            {
                if (OAuthEncoding.IsUnreserved(b))
                {
                    destination[n++] = (char)b;
                }
                else
                {
                    n += WriteEscape(destination[n..], b);
                }
            }

            Length += n;
        }

        /// <summary>Overwrites the contents (the HMAC key) before the array goes back to the pool.</summary>
        public readonly void Clear() => array.AsSpan(0, Length).Clear();

        public void Dispose()
        {
            ArrayPool<char>.Shared.Return(array);
            array = [];
            Length = 0;
        }


        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Ensure(int more)
        {
            if (Length + more > array.Length)
            {
                Grow(more);
            }
        }

        private void Grow(int more)
        {
            var larger = ArrayPool<char>.Shared.Rent(Math.Max(array.Length * 2, Length + more));
            array.AsSpan(0, Length).CopyTo(larger);
            ArrayPool<char>.Shared.Return(array);
            array = larger;
        }
    }

    /// <summary>ASCII into an array sized by the caller's upper bound.</summary>
    private ref struct ByteWriter(byte[] bytes)
    {
        private readonly byte[] bytes = bytes;

        public int Length { get; private set; }

        public void Append(byte b) => bytes[Length++] = b;

        public void AppendEscape(byte b) => Length += WriteEscape(bytes.AsSpan(Length), b);

        /// <summary>§3.6 of a string that may hold any char (the method, the base string URI).</summary>
        public void AppendEncoded(string text)
        {
            if (Ascii.IsValid(text))
            {
                AppendEncodedAscii(text);
                return;
            }

            var encoded = new CharBuffer(text.Length * 9);
            try
            {
                encoded.AppendEncoded(text);
                Ascii.FromUtf16(encoded.Written, bytes.AsSpan(Length), out var written);
                Length += written;
            }
            finally
            {
                encoded.Dispose();
            }
        }

        /// <summary>§3.6 of ASCII text (for text that is already encoded once, only <c>%</c> needs escaping again).</summary>
        public void AppendEncodedAscii(scoped ReadOnlySpan<char> text)
        {
            var destination = bytes.AsSpan(Length);
            var n = 0;
            while (true)
            {
                // Runs of unreserved chars are narrowed in bulk (vectorised); only the others are escaped one by one.
                var run = text.IndexOfAnyExcept(OAuthEncoding.UnreservedChars);
                var plain = run < 0 ? text : text[..run];
                Ascii.FromUtf16(plain, destination[n..], out var written);
                n += written;
                if (run < 0)
                {
                    break;
                }

                n += WriteEscape(destination[n..], (byte)text[run]);
                text = text[(run + 1)..];
            }

            Length += n;
        }
    }
}
