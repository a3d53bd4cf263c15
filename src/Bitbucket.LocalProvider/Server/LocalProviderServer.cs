using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Bitbucket.LocalProvider.Api;
using Bitbucket.LocalProvider.Data;
using Bitbucket.LocalProvider.DataCenter;
using Bitbucket.LocalProvider.OAuth;
using Bitbucket.LocalProvider.TestHooks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using HttpProtocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols;

namespace Bitbucket.LocalProvider;

/// <summary>Starts the provider in-process (tests) or for <c>bb-local-provider</c> (Program.cs).</summary>
public static partial class LocalProviderServer
{
    /// <summary>
    /// Binds 127.0.0.1 (only), seeds the data and starts serving. Throws <see cref="ArgumentException"/>
    /// for invalid options, including any other bind address, and <see cref="InvalidDataException"/> for a bad seed file.
    /// </summary>
    public static async Task<RunningProvider> StartAsync(LocalProviderOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        var (data, seededConsumers) = Seed.Create(options);
        var consumers = options.Consumers.Concat(seededConsumers).ToList();
        if (consumers.GroupBy(c => c.Key).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw new ArgumentException($"consumer key {duplicate.Key} is declared twice", nameof(options));
        }

        var dataCenter = options.Flavor == ProviderFlavor.DataCenter;
        if (dataCenter)
        {
            consumers = GiveRsaKeys(consumers, options.RsaPrivateKeyOut);
        }

        var tokens = new TokenStore(options.TimeProvider, options.TimestampWindow);
        var bearer = new OAuth2.BearerTokens(options, consumers);
        var services = new ProviderServices(
            options,
            data,
            tokens,
            new OAuthVerifier(consumers, tokens, options.TimeProvider, options.TimestampWindow, exposeBaseString: options.TestHooks, rsaOnly: dataCenter) { Bearer = bearer },
            new TestHookState(options.RecordedRequestLimit),
            dataCenter ? DcData.Create(data.User, options.Pages) : null);

        // The empty builder reads no configuration at all (no ASPNETCORE_URLS, no Kestrel:Endpoints from the
        // environment), so the only endpoint is the loopback one below.
        // Kept for the provider's lifetime (Kestrel presents it on every handshake); RunningProvider disposes it.
        var certificate = options.Https ? SelfSignedCertificate.Create(options.TimeProvider) : null;
        if (certificate is not null && options.TlsCertificateOut is { } certificateOut)
        {
            SelfSignedCertificate.Write(certificate, certificateOut);
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = CapturedRequest.MaxBodyBytes;
            kestrel.Listen(IPAddress.Loopback, options.Port, listen =>
            {
                if (options.Http1Only)
                {
                    listen.Protocols = HttpProtocols.Http1;
                }
                else if (certificate is not null)
                {
                    // Over TLS, ALPN lets each client pick; cleartext stays HTTP/1.1 (Kestrel's default there).
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                }

                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }

                // After UseHttps, so a connection counts once its handshake has completed.
                listen.Use(next => connection =>
                {
                    services.Hooks.ConnectionOpened(connection.ConnectionId);
                    return next(connection);
                });
            });
        });
        builder.Services.AddRoutingCore();
        // Program.cs handles SIGTERM/Ctrl+C itself; an in-process server must not take over the test runner's signals.
        builder.Services.AddSingleton<IHostLifetime, PassiveLifetime>();

        var app = builder.Build();
        app.Use((context, next) => Capture(context, next, services));
        app.UseRouting();
        // Each flavour serves only its own routes, so a client probing for Data Center
        // (GET {base}/rest/api/1.0/application-properties) gets a clear answer either way.
        if (dataCenter)
        {
            DcEndpoints.Map(options.ContextPath.Length == 0 ? app : app.MapGroup(options.ContextPath), services);
        }
        else
        {
            OAuthEndpoints.Map(app, services);
            OAuth2.OAuth2Endpoints.Map(app, bearer, options);
            ApiEndpoints.Map(app, services);
        }

        if (options.TestHooks)
        {
            TestHookEndpoints.Map(app, services.Hooks);
            PagingHooks.Add(app);
        }

        app.MapFallback(() => services.Error(StatusCodes.Status404NotFound, dataCenter ? "No such resource." : BitbucketError.NotFound));

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        var bound = addresses.Select(a => new Uri(a)).ToList();
        if (bound.Count != 1 || bound[0].Host != LocalProviderOptions.LoopbackAddress)
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            certificate?.Dispose();
            throw new InvalidOperationException($"expected to listen on {LocalProviderOptions.LoopbackAddress} only, got: {string.Join(", ", addresses)}");
        }

        var scheme = options.Https ? "https" : "http";
        return new RunningProvider(app, new Uri($"{scheme}://{LocalProviderOptions.LoopbackAddress}:{bound[0].Port}"), services, certificate);
    }

    private static void Validate(LocalProviderOptions options)
    {
        if (options.BindAddress != LocalProviderOptions.LoopbackAddress)
        {
            throw new ArgumentException(
                $"refusing to bind {options.BindAddress}: the local provider listens on {LocalProviderOptions.LoopbackAddress} only", nameof(options));
        }

        if (options.Port is < 0 or > 65535)
        {
            throw new ArgumentException($"port {options.Port} is out of range 0-65535", nameof(options));
        }

        if (options.Pages is < 1 or > 100)
        {
            throw new ArgumentException("pages must be between 1 and 100", nameof(options));
        }

        if (!UserName().IsMatch(options.User) || options.User.Equals(Seed.BigWorkspace, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"user {options.User} must be a slug (letters, digits, '-', '_') and not \"{Seed.BigWorkspace}\"", nameof(options));
        }

        if (options.Consumers.Count == 0)
        {
            throw new ArgumentException("at least one consumer is required", nameof(options));
        }

        if (options.ContextPath.Length > 0 && options.Flavor != ProviderFlavor.DataCenter)
        {
            throw new ArgumentException("a context path needs the datacenter flavor", nameof(options));
        }

        if (options.ContextPath.Length > 0 && !ContextPath().IsMatch(options.ContextPath))
        {
            throw new ArgumentException($"context path {options.ContextPath} must look like /name (letters, digits, '.', '-', '_'; no trailing '/')", nameof(options));
        }

        if (options.RsaPrivateKeyOut is not null && options.Flavor != ProviderFlavor.DataCenter)
        {
            throw new ArgumentException("writing a generated RSA private key needs the datacenter flavor", nameof(options));
        }

        if (options.Flavor == ProviderFlavor.DataCenter && options.RsaPrivateKeyOut is null && options.Consumers.Any(c => c.RsaPublicKey is null))
        {
            throw new ArgumentException(
                "Data Center consumers sign with RSA-SHA1: give each consumer a public key (--rsa-public-key FILE) or have one made (--rsa-private-key-out FILE)",
                nameof(options));
        }

        if (options.Consumers.Any(c => c.Key.Length == 0))
        {
            throw new ArgumentException("a consumer key must not be empty", nameof(options));
        }

        if (options.TlsCertificateOut is not null && !options.Https)
        {
            throw new ArgumentException("writing the TLS certificate needs --https", nameof(options));
        }

        if (options.TimestampWindow < TimeSpan.Zero || options.RecordedRequestLimit < 1)
        {
            throw new ArgumentException("timestamp window and recorded request limit must be positive", nameof(options));
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,61}$")]
    private static partial Regex UserName();

    [GeneratedRegex("^(/[A-Za-z0-9._-]+)+$")]
    private static partial Regex ContextPath();

    /// <summary>
    /// Data Center consumers without a public key get one key pair made now: the public half verifies
    /// their signatures, the private half goes to <paramref name="privateKeyOut"/> (PKCS#8 PEM, 0600) for
    /// the client. The key exists only for this run; nothing real is ever involved.
    /// </summary>
    private static List<LocalConsumer> GiveRsaKeys(List<LocalConsumer> consumers, string? privateKeyOut)
    {
        if (privateKeyOut is null || consumers.All(c => c.RsaPublicKey is not null))
        {
            return consumers;
        }

        using var pair = RSA.Create(2048);
        var publicKey = RSA.Create();
        publicKey.ImportSubjectPublicKeyInfo(pair.ExportSubjectPublicKeyInfo(), out _);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var file = new StreamWriter(privateKeyOut, Encoding.ASCII, options))
            {
                file.Write(pair.ExportPkcs8PrivateKeyPem());
            }

            // An existing file keeps its mode on truncation; tighten it.
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(privateKeyOut, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot write the RSA private key to {privateKeyOut}: {e.Message}", e);
        }

        return consumers.Select(c => c.RsaPublicKey is null ? c with { RsaPublicKey = publicKey } : c).ToList();
    }

    /// <summary>
    /// Reads the body once (OAuth, handlers and the recorder need it), records the request for the test
    /// hooks, turns unhandled failures into Bitbucket error JSON, and logs one line: method, path, status.
    /// Never the query, headers or body: they carry signatures and tokens.
    /// </summary>
    private static async Task Capture(HttpContext context, RequestDelegate next, ProviderServices services)
    {
        var target = RequestTarget.Of(context);
        RecordedRequest? record = null;
        var failure = "";
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            var body = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            buffer.Position = 0;
            context.Request.Body = buffer;
            var captured = new CapturedRequest(body, CapturedRequest.IsFormContentType(context.Request.ContentType));
            context.Features.Set(captured);
            services.Hooks.ConnectionUsed(context.Connection.Id, context.Request.Protocol, target.Path.StartsWith(TestHookEndpoints.Prefix + "/", StringComparison.Ordinal));

            if (services.Options.TestHooks && !target.Path.StartsWith(TestHookEndpoints.Prefix + "/", StringComparison.Ordinal))
            {
                record = new RecordedRequest
                {
                    Method = context.Request.Method,
                    Target = target.Path + TestHookState.RedactPairs(target.Query),
                    Headers = context.Request.Headers
                        .Select(h => new KeyValuePair<string, string>(h.Key, h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase)
                            ? TestHookState.RedactHeader(h.Value.ToString())
                            : h.Value.ToString()))
                        .ToList(),
                    Body = captured.IsForm ? TestHookState.RedactPairs(body) : body,
                };
                services.Hooks.Record(record);
            }

            await next(context).ConfigureAwait(false);
            if (record is not null)
            {
                record.BaseString = captured.BaseString;
                record.OAuthError = captured.OAuthError;
            }
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            await services.Error(e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Bad request")
                .ExecuteAsync(context).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException && !context.Response.HasStarted)
        {
            failure = " (" + e.GetType().Name + ")";
            await services.Error(StatusCodes.Status500InternalServerError, "Something went wrong").ExecuteAsync(context).ConfigureAwait(false);
        }
        finally
        {
            record?.Status = context.Response.StatusCode;
            services.Options.Log?.WriteLine($"{context.Request.Method} {target.Path} {context.Response.StatusCode}{failure}");
        }
    }

    /// <summary>An <see cref="IHostLifetime"/> that leaves process signals alone.</summary>
    private sealed class PassiveLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>A started provider. Dispose (or <see cref="StopAsync"/>) to stop it.</summary>
public sealed class RunningProvider : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly IDisposable? certificate;

    internal RunningProvider(WebApplication app, Uri baseUri, ProviderServices services, IDisposable? certificate = null)
    {
        this.app = app;
        this.certificate = certificate;
        BaseUri = baseUri;
        Services = services;
    }

    /// <summary><c>http://127.0.0.1:PORT</c> (<c>https://</c> with <see cref="LocalProviderOptions.Https"/>), no trailing slash in <see cref="Uri.OriginalString"/>.</summary>
    public Uri BaseUri { get; }

    public int Port => BaseUri.Port;

    internal ProviderServices Services { get; }

    /// <summary>Completes when the provider has stopped.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => app.WaitForShutdownAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        certificate?.Dispose();
    }
}
