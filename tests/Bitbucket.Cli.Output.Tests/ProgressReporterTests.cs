using Bitbucket.Cli.Core.Output;

namespace Bitbucket.Cli.Output.Tests;

public class ProgressReporterTests
{
    [Fact]
    public void Tty_rewrites_one_line_and_clears_it()
    {
        using var stderr = new StringWriter();
        var progress = new ProgressReporter(stderr, isTty: true);

        progress.PageFetched(100);
        progress.PageFetched(100);
        progress.PageFetched(50);
        progress.Dispose();

        Assert.Equal(
            "\rfetched 1 page, 100 items" +
            "\rfetched 2 pages, 200 items" +
            "\rfetched 3 pages, 250 items" +
            "\r" + new string(' ', "fetched 3 pages, 250 items".Length) + "\r",
            stderr.ToString());
        Assert.DoesNotContain('\n', stderr.ToString());
    }

    [Fact]
    public void Shorter_text_overwrites_the_rest_of_the_line()
    {
        using var stderr = new StringWriter();
        var progress = new ProgressReporter(stderr, isTty: true);

        progress.PageFetched(10);
        progress.Clear();
        progress.PageFetched(1);

        Assert.EndsWith("\rfetched 2 pages, 11 items", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Not_a_tty_writes_nothing_but_still_counts()
    {
        using var stderr = new StringWriter();
        var progress = new ProgressReporter(stderr, isTty: false);

        progress.PageFetched(100);
        progress.PageFetched(1);
        progress.Dispose();

        Assert.Equal("", stderr.ToString());
        Assert.Equal(2, progress.Pages);
        Assert.Equal(101, progress.Items);
        Assert.Equal("fetched 2 pages, 101 items", progress.Text);
    }

    [Fact]
    public void Clearing_without_progress_writes_nothing()
    {
        using var stderr = new StringWriter();

        new ProgressReporter(stderr, isTty: true).Dispose();

        Assert.Equal("", stderr.ToString());
    }
}
