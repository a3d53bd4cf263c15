using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace Bitbucket.Cli.Generator.Model;

/// <summary>
/// An immutable array compared by its elements, so models holding lists stay equal across generator
/// runs and the incremental pipeline can reuse cached outputs (ImmutableArray compares by reference).
/// </summary>
internal readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>
    where T : IEquatable<T>
{
    private readonly T[]? items;

    public EquatableArray(IEnumerable<T> items)
    {
        this.items = items.ToArray();
    }

    public static EquatableArray<T> Empty => default;

    public int Count => this.items?.Length ?? 0;

    public T this[int index] => (this.items ?? Array.Empty<T>())[index];

    public bool IsEmpty => Count == 0;

    public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

    public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);

    public bool Equals(EquatableArray<T> other)
        => (this.items ?? Array.Empty<T>()).AsSpan().SequenceEqual((other.items ?? Array.Empty<T>()).AsSpan());

    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = 17;
        foreach (var item in this.items ?? Array.Empty<T>())
        {
            hash = unchecked((hash * 31) + (item?.GetHashCode() ?? 0));
        }

        return hash;
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)(this.items ?? Array.Empty<T>())).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

internal static class EquatableArray
{
    public static EquatableArray<T> ToEquatableArray<T>(this IEnumerable<T> items)
        where T : IEquatable<T>
        => new(items);
}
