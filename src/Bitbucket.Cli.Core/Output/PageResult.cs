using System.Text.Json;
using Bitbucket.Cli.Core.Commands;

namespace Bitbucket.Cli.Core.Output;

/// <summary>
/// One parsed response body: a Cloud page (<c>values</c>, <c>next</c>), a Data Center page (<c>values</c>,
/// <c>isLastPage</c>, <c>nextPageStart</c>), or any other JSON. Owns the page's <see cref="JsonDocument"/>: <see cref="Root"/> and
/// <see cref="Values"/> are valid until <see cref="Dispose"/>, which the caller does before fetching the
/// next page so memory stays bounded to one page.
/// </summary>
public sealed class PageResult : IDisposable
{
    private readonly JsonDocument document;

    internal PageResult(JsonDocument document)
    {
        this.document = document;
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object
            && root.TryGetProperty("values", out var values)
            && values.ValueKind == JsonValueKind.Array)
        {
            IsPaginated = true;
            var items = new JsonElement[values.GetArrayLength()];
            var i = 0;
            foreach (var item in values.EnumerateArray())
            {
                items[i++] = item;
            }

            Values = items;
            Next = StringProperty(root, "next");
            Previous = StringProperty(root, "previous");
            Size = IntProperty(root, "size");
            Page = IntProperty(root, "page");
            PageLength = IntProperty(root, "pagelen");
            IsLastPage = root.TryGetProperty("isLastPage", out var last) && last.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? last.GetBoolean()
                : null;
            NextPageStart = LongProperty(root, "nextPageStart");
            Start = LongProperty(root, "start");
            Paging = IsLastPage is not null || NextPageStart is not null ? PagingStyle.StartLimit : PagingStyle.NextLink;
        }
        else
        {
            Values = [];
        }
    }

    /// <summary>The whole body (print this for a non-paginated response).</summary>
    public JsonElement Root => this.document.RootElement;

    /// <summary>True when the body is an object with a <c>values</c> array (a Bitbucket page).</summary>
    public bool IsPaginated { get; }

    /// <summary>The page's items; empty for a non-paginated body.</summary>
    public IReadOnlyList<JsonElement> Values { get; }

    /// <summary>The <c>next</c> link exactly as the server sent it (JSON-unescaped only); null on the last page.</summary>
    public string? Next { get; }

    /// <summary>The <c>previous</c> link, if any.</summary>
    public string? Previous { get; }

    /// <summary>
    /// How the list continues, told by the body: <see cref="PagingStyle.StartLimit"/> when it has Data Center's
    /// <c>isLastPage</c> or <c>nextPageStart</c>, else <see cref="PagingStyle.NextLink"/>.
    /// </summary>
    public PagingStyle Paging { get; }

    /// <summary>Data Center: whether this is the last page; null when the body does not say (as a boolean).</summary>
    public bool? IsLastPage { get; }

    /// <summary>Data Center: the <c>start</c> of the next page; null on the last page or when absent.</summary>
    public long? NextPageStart { get; }

    /// <summary>Data Center: this page's <c>start</c>, when reported.</summary>
    public long? Start { get; }

    /// <summary>Cloud: total number of items across all pages, when the server reports it (it may not). Data Center: this page's count.</summary>
    public int? Size { get; }

    /// <summary>This page's 1-based number, when reported.</summary>
    public int? Page { get; }

    /// <summary>The page length the server used, when reported.</summary>
    public int? PageLength { get; }

    public void Dispose() => this.document.Dispose();

    private static string? StringProperty(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? LongProperty(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : null;

    private static int? IntProperty(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : null;
}
