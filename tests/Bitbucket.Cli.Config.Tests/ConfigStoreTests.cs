using System.Text;
using Bitbucket.Cli.Core.Config;
using Bitbucket.Cli.Core.OAuth;
using static Bitbucket.Cli.Config.Tests.Samples;

namespace Bitbucket.Cli.Config.Tests;

public sealed class ConfigStoreTests : IDisposable
{
    private const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly TempDir temp = new();
    private readonly List<string> warnings = [];

    public void Dispose() => temp.Dispose();

    private ConfigStore Store() => new(temp.HostsFile, Samples.Cloud, warnings.Add);

    [Fact]
    public void Missing_file_loads_the_built_in_defaults_without_creating_anything()
    {
        var config = Store().Load();

        Assert.Equal("bitbucket.org", config.DefaultHost);
        var cloud = Assert.Single(config.Hosts).Value;
        Assert.Equal("https://api.bitbucket.org", cloud.ApiUrl);
        Assert.Equal("https://bitbucket.org/api/1.0/oauth/request_token", cloud.RequestTokenUrl);
        Assert.Equal("https://bitbucket.org/api/1.0/oauth/authenticate", cloud.AuthorizeUrl);
        Assert.Equal("https://bitbucket.org/api/1.0/oauth/access_token", cloud.AccessTokenUrl);
        Assert.Equal(SignatureMethod.HmacSha1, cloud.SignatureMethod);
        Assert.Empty(cloud.Accounts);
        Assert.False(Directory.Exists(Path.GetDirectoryName(temp.HostsFile)));
        Assert.Empty(warnings);
    }

    [Fact]
    public void Update_creates_a_private_directory_and_a_0600_file_that_round_trips()
    {
        var store = Store();

        store.Update(_ => LocalWithAccounts());

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(Mode0600, File.GetUnixFileMode(temp.HostsFile));
            Assert.Equal(Mode0600 | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(temp.HostsFile)!));
        }

        var loaded = new ConfigStore(temp.HostsFile, Samples.Cloud).Load();
        Assert.Equal("local", loaded.DefaultHost);
        var local = loaded.GetHost("LOCAL");
        Assert.Equal(Samples.Local() with { Accounts = local.Accounts, DefaultAccount = "alice" }, local);
        Assert.Equal(Alice, local.GetAccount());
        Assert.Equal(Bob, local.GetAccount("Bob"));
        Assert.True(loaded.TryGetHost("bitbucket.org", out _));
        Assert.Empty(warnings);
    }

    [Fact]
    public void The_temporary_file_is_private_before_any_content_is_written_and_so_is_the_lock_file()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        UnixFileMode? modeBeforeWrite = null;
        var store = new ConfigStore(temp.HostsFile, Samples.Cloud)
        {
            WriteContent = (stream, bytes) =>
            {
                modeBeforeWrite = OperatingSystem.IsWindows() ? null : File.GetUnixFileMode(((FileStream)stream).Name);
                stream.Write(bytes);
            },
        };

        store.Update(_ => LocalWithAccounts());

        Assert.Equal(Mode0600, modeBeforeWrite);
        Assert.Equal(Mode0600, File.GetUnixFileMode(temp.HostsFile + ".lock"));
    }

    [Fact]
    public void The_file_is_indented_utf8_without_bom_with_a_trailing_newline_in_a_stable_shape()
    {
        var store = Store();
        store.Update(_ => LocalWithAccounts());

        var bytes = File.ReadAllBytes(temp.HostsFile);
        Assert.False(bytes.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }));
        Assert.Equal(
            """
            {
              "version": 1,
              "defaultHost": "local",
              "hosts": {
                "local": {
                  "apiUrl": "http://127.0.0.1:8080",
                  "requestTokenUrl": "http://127.0.0.1:8080/oauth/request_token",
                  "authorizeUrl": "http://127.0.0.1:8080/oauth/authorize",
                  "accessTokenUrl": "http://127.0.0.1:8080/oauth/access_token",
                  "signatureMethod": "HMAC-SHA256",
                  "rsaKeyPath": null,
                  "consumerKey": "local-consumer",
                  "consumerSecret": "consumer-SECRET-5f1e",
                  "defaultAccount": "alice",
                  "accounts": {
                    "alice": {
                      "token": "alice-token-TKN-a1",
                      "tokenSecret": "alice-SECRET-9c2d"
                    },
                    "bob": {
                      "token": "bob-token-TKN-b2",
                      "tokenSecret": "bob-SECRET-7e4b"
                    }
                  }
                }
              }
            }

            """.ReplaceLineEndings("\n"),
            Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void The_untouched_built_in_host_is_not_written_but_a_customised_one_is()
    {
        var store = Store();
        store.Update(config => config.WithHost(Samples.Local()));
        Assert.DoesNotContain("\"bitbucket.org\": {", File.ReadAllText(temp.HostsFile), StringComparison.Ordinal);

        store.Update(config => config.WithHost(config.GetHost("bitbucket.org") with { ConsumerKey = "cloud-key" }));
        Assert.Contains("\"bitbucket.org\": {", File.ReadAllText(temp.HostsFile), StringComparison.Ordinal);
        Assert.Equal("cloud-key", store.Load().GetHost("bitbucket.org").ConsumerKey);
    }

    [Fact]
    public void Urls_and_names_are_written_without_needless_escaping()
    {
        var store = Store();
        var host = Samples.Local() with { AuthorizeUrl = "http://127.0.0.1:8080/authorize?a=1&b=2+3" };
        store.Update(config => config.WithHost(host.WithAccount(new AccountCredentials("jürgen", "t", "s"))));

        var text = File.ReadAllText(temp.HostsFile);
        Assert.Contains("?a=1&b=2+3", text, StringComparison.Ordinal);
        Assert.Contains("\"jürgen\"", text, StringComparison.Ordinal);
        Assert.Equal("jürgen", store.Load().GetHost("local").DefaultAccount);
    }

    [Fact]
    public void A_file_with_a_bom_is_still_read()
    {
        WriteRaw("\uFEFF{ \"version\": 1, \"defaultHost\": \"bitbucket.org\", \"hosts\": {} }");

        Assert.Equal("bitbucket.org", Store().Load().DefaultHost);
    }

    [Fact]
    public void Update_returning_the_same_instance_writes_nothing()
    {
        var store = Store();

        var result = store.Update(config => config);

        Assert.Same(store.Load(), result);
        Assert.False(File.Exists(temp.HostsFile));
    }

    [Fact]
    public void Update_sees_changes_made_by_another_store_since_it_was_created()
    {
        var first = Store();
        var second = new ConfigStore(temp.HostsFile, Samples.Cloud);
        first.Update(config => config.WithHost(Samples.Local("one")));

        second.Update(config => config.WithHost(Samples.Local("two")));

        var hosts = first.Load().Hosts.Keys.Order(StringComparer.Ordinal);
        Assert.Equal(["bitbucket.org", "one", "two"], hosts);
    }

    [Theory]
    [InlineData("{\n  \"version\": 1,\n  \"hosts\": {\n    \"local\": { \"apiUrl\": \n  }\n}\n", "line 5, at $.hosts.local.apiUrl")]
    [InlineData("{\n  \"version\": 1,\n  \"defaultHost\": \"local\"", "line 3")]
    [InlineData("", "the file is empty")]
    [InlineData(" \n", "the file is empty")]
    [InlineData("[1, 2]", "line 1")]
    [InlineData("{ \"version\": 1, \"hosts\": [] }", "line 1, at $.hosts")]
    [InlineData("{ \"version\": 1, \"hosts\": { \"local\": { \"apiUrl\": 42 } } }", "line 1, at $.hosts.local.apiUrl")]
    [InlineData("{ \"version\": 1, \"defaultHost\": \"bitbucket.org\", \"colour\": \"red\" }", "line 1, at $.colour")]
    [InlineData("{ \"version\": 1, \"version\": 1 }", "line 1, at $.version")]
    [InlineData("null", "the file holds null")]
    [InlineData("{ \"hosts\": {} }", "version must be 1")]
    [InlineData("{ \"version\": 1, \"defaultHost\": \"nowhere\" }", "defaultHost 'nowhere' is not one of the hosts")]
    [InlineData("{ \"version\": 1, \"hosts\": { \"local\": { \"requestTokenUrl\": \"http://x/r\" } } }", "host 'local': apiUrl is missing")]
    [InlineData("{ \"version\": 1, \"hosts\": { \"a\": null } }", "host 'a' is null")]
    [InlineData("{ \"version\": 1, \"hosts\": { \"a\": {}, \"A\": {} } }", "two hosts are named 'A' (names ignore case)")]
    public void A_corrupt_file_is_a_clear_one_line_error_naming_the_file(string content, string detail)
    {
        WriteRaw(content);

        var error = Assert.Throws<ConfigException>(() => Store().Load());

        Assert.Equal(
            $"{temp.HostsFile} is not valid bb configuration ({detail}): fix or move it away; bb will not overwrite it",
            error.Message);
    }

    [Theory]
    [InlineData("apiUrl", "\"ftp://x\"", "apiUrl is not an absolute http(s) URL")]
    [InlineData("accessTokenUrl", "\"/relative\"", "accessTokenUrl is not an absolute http(s) URL")]
    [InlineData("signatureMethod", "\"hmac-sha1\"", "signatureMethod must be one of HMAC-SHA1, HMAC-SHA256, PLAINTEXT, RSA-SHA1")]
    [InlineData("defaultAccount", "\"carol\"", "defaultAccount 'carol' is not one of its accounts")]
    [InlineData("defaultAccount", "null", "defaultAccount is missing")]
    [InlineData("accounts", "{ \"alice\": { \"tokenSecret\": \"s\" } }", "account 'alice': token is missing")]
    [InlineData("accounts", "{ \"alice\": { \"token\": \"t\" } }", "account 'alice': tokenSecret is missing")]
    [InlineData("accounts", "{ \"alice\": { \"token\": \"t\", \"tokenSecret\": \"s\" }, \"Alice\": { \"token\": \"t\", \"tokenSecret\": \"s\" } }", "two accounts are named 'Alice'")]
    public void Invalid_host_fields_are_reported_by_their_file_names(string field, string json, string detail)
    {
        var host = new Dictionary<string, string>
        {
            ["apiUrl"] = "\"http://h\"",
            ["requestTokenUrl"] = "\"http://h/r\"",
            ["authorizeUrl"] = "\"http://h/a\"",
            ["accessTokenUrl"] = "\"http://h/t\"",
            ["signatureMethod"] = "\"HMAC-SHA1\"",
            ["defaultAccount"] = "\"alice\"",
            ["accounts"] = "{ \"alice\": { \"token\": \"t\", \"tokenSecret\": \"s\" } }",
        };
        host[field] = json;
        WriteRaw($"{{ \"version\": 1, \"hosts\": {{ \"h\": {{ {string.Join(", ", host.Select(p => $"\"{p.Key}\": {p.Value}"))} }} }} }}");

        var error = Assert.Throws<ConfigException>(() => Store().Load());

        Assert.Contains($"(host 'h': {detail}", error.Message, StringComparison.Ordinal);
        Assert.Contains(temp.HostsFile, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HMAC-SHA1", SignatureMethod.HmacSha1)]
    [InlineData("HMAC-SHA256", SignatureMethod.HmacSha256)]
    [InlineData("PLAINTEXT", SignatureMethod.Plaintext)]
    [InlineData("RSA-SHA1", SignatureMethod.RsaSha1)]
    public void Signature_methods_are_stored_by_their_RFC_names_and_read_back_as_the_same_method(string stored, SignatureMethod method)
    {
        Store().Update(config => config.WithHost(Samples.Local() with { SignatureMethod = method }));

        using var file = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(temp.HostsFile));
        Assert.Equal(stored, file.RootElement.GetProperty("hosts").GetProperty("local").GetProperty("signatureMethod").GetString());
        Assert.Equal(method, Store().Load().GetHost("local").SignatureMethod);
    }

    [Theory]
    [InlineData("{ \"version\": 2, \"somethingNew\": true }", 2)] // a shape this bb cannot read
    [InlineData("{ \"version\": 3, \"hosts\": {} }", 3)] // a shape this bb can read
    [InlineData("{ \"hosts\": { \"h\": { \"new\": 1 } }, \"version\": 2 }", 2)] // the version after the unknown member
    public void A_file_from_a_newer_bb_is_refused_with_advice_to_upgrade(string json, int version)
    {
        WriteRaw(json);

        var error = Assert.Throws<ConfigException>(() => Store().Load());

        Assert.Equal($"{temp.HostsFile} was written by a newer bb (version {version}): upgrade bb; this one will not overwrite it", error.Message);
    }

    [Fact]
    public void A_corrupt_file_is_never_overwritten_by_a_save_and_its_secrets_stay_out_of_the_error()
    {
        var corrupt = $"{{\n  \"version\": 1,\n  \"hosts\": {{ \"local\": {{ \"consumerSecret\": \"{ConsumerSecret}\" ,, }} }}\n}}\n";
        WriteRaw(corrupt);
        var before = File.ReadAllBytes(temp.HostsFile);
        var store = Store();

        var error = Assert.Throws<ConfigException>(() => store.Update(_ => LocalWithAccounts()));
        Assert.Throws<ConfigException>(() => store.RemoveAccount("local"));

        Assert.Equal(before, File.ReadAllBytes(temp.HostsFile));
        Assert.Contains("(line 3", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        AssertNoSecrets(error.ToString());
        Assert.Equal([temp.HostsFile, temp.HostsFile + ".lock"], Directory.GetFiles(Path.GetDirectoryName(temp.HostsFile)!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Loose_permissions_are_fixed_to_0600_and_reported()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Store().Update(_ => LocalWithAccounts());
        File.SetUnixFileMode(temp.HostsFile, Mode0600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var config = Store().Load();

        Assert.Equal("local", config.DefaultHost);
        Assert.Equal(Mode0600, File.GetUnixFileMode(temp.HostsFile));
        Assert.Equal([$"fixed permissions of {temp.HostsFile} (was 0644)"], warnings);

        Store().Load();
        Assert.Single(warnings);
    }

    [Fact]
    public void A_file_others_can_write_is_refused_by_load_and_save_and_left_as_it_is()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Store().Update(_ => LocalWithAccounts());
        var before = File.ReadAllBytes(temp.HostsFile);
        File.SetUnixFileMode(temp.HostsFile, (UnixFileMode)0b110_110_110);

        var save = Assert.Throws<ConfigException>(() => Store().Update(config => config.WithHost(Samples.Local("other"))));
        var load = Assert.Throws<ConfigException>(() => Store().Load());

        foreach (var error in new[] { save, load })
        {
            Assert.Equal($"{temp.HostsFile} is writable by group or others (mode 0666); bb does not trust such a configuration file: run chmod go-w {temp.HostsFile}", error.Message);
        }

        Assert.Equal((UnixFileMode)0b110_110_110, File.GetUnixFileMode(temp.HostsFile));
        Assert.Equal(before, File.ReadAllBytes(temp.HostsFile));
        Assert.Empty(warnings);
    }

    [Fact]
    public void A_directory_others_can_write_is_refused_before_anything_is_written()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var directory = Path.GetDirectoryName(temp.HostsFile)!;
        Directory.CreateDirectory(directory);
        File.SetUnixFileMode(directory, (UnixFileMode)0b111_111_111);

        var error = Assert.Throws<ConfigException>(() => Store().Update(_ => LocalWithAccounts()));

        Assert.StartsWith($"{directory} is writable by group or others (mode 0777)", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.HostsFile));
    }

    [Fact]
    public void A_write_failing_halfway_leaves_the_original_file_intact_and_no_temp_file()
    {
        Store().Update(_ => LocalWithAccounts());
        var before = File.ReadAllBytes(temp.HostsFile);
        var failing = new ConfigStore(temp.HostsFile, Samples.Cloud)
        {
            WriteContent = (stream, bytes) =>
            {
                stream.Write(bytes, 0, bytes.Length / 2);
                stream.Flush();
                throw new IOException("No space left on device");
            },
        };

        var error = Assert.Throws<ConfigException>(() => failing.Update(config => config.WithHost(Samples.Local("other"))));

        Assert.Equal($"cannot save {temp.HostsFile}: No space left on device", error.Message);
        Assert.Equal(before, File.ReadAllBytes(temp.HostsFile));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(temp.HostsFile)!, "*.tmp"));
        Assert.Equal("local", Store().Load().DefaultHost);
    }

    [Fact]
    public void A_bug_in_the_writer_also_leaves_no_temp_file()
    {
        var failing = new ConfigStore(temp.HostsFile, Samples.Cloud)
        {
            WriteContent = (stream, bytes) =>
            {
                stream.Write(bytes, 0, 10);
                throw new InvalidOperationException("boom");
            },
        };

        Assert.Throws<InvalidOperationException>(() => failing.Update(_ => LocalWithAccounts()));

        Assert.False(File.Exists(temp.HostsFile));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(temp.HostsFile)!, "*.tmp"));
    }

    [Fact]
    public void A_failing_change_writes_nothing()
    {
        Store().Update(_ => LocalWithAccounts());
        var before = File.ReadAllBytes(temp.HostsFile);

        Assert.Throws<ConfigException>(() => Store().Update(config => config.WithoutHost("nowhere")));

        Assert.Equal(before, File.ReadAllBytes(temp.HostsFile));
    }

    [Fact]
    public void A_symlinked_file_is_updated_through_the_link()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var real = temp.Combine("dotfiles", "hosts.json");
        Directory.CreateDirectory(Path.GetDirectoryName(real)!);
        Directory.CreateDirectory(Path.GetDirectoryName(temp.HostsFile)!);
        File.CreateSymbolicLink(temp.HostsFile, real);

        Store().Update(_ => LocalWithAccounts());

        Assert.NotNull(new FileInfo(temp.HostsFile).LinkTarget);
        Assert.Contains("\"local\"", File.ReadAllText(real), StringComparison.Ordinal);
        Assert.Equal("local", Store().Load().DefaultHost);
    }

    [Fact]
    public void Logout_removes_the_token_and_token_secret_from_the_file()
    {
        var store = Store();
        store.Update(_ => LocalWithAccounts());

        var removed = store.RemoveAccount("local", "BOB");

        Assert.Equal("bob", removed);
        var raw = File.ReadAllText(temp.HostsFile);
        Assert.DoesNotContain(BobToken, raw, StringComparison.Ordinal);
        Assert.DoesNotContain(BobTokenSecret, raw, StringComparison.Ordinal);
        Assert.Contains(AliceTokenSecret, raw, StringComparison.Ordinal);
        Assert.Contains(ConsumerSecret, raw, StringComparison.Ordinal);
        Assert.Equal("alice", store.Load().GetHost("local").DefaultAccount);
    }

    [Fact]
    public void Logging_out_the_last_account_also_removes_the_consumer_secret()
    {
        var store = Store();
        store.Update(_ => LocalWithAccounts());

        Assert.Equal("alice", store.RemoveAccount("local"));
        Assert.Equal("bob", store.Load().GetHost("local").DefaultAccount);
        Assert.Equal("bob", store.RemoveAccount("local"));

        var raw = File.ReadAllBytes(temp.HostsFile);
        foreach (var secret in AllSecrets)
        {
            Assert.Equal(-1, raw.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
        }

        var local = store.Load().GetHost("local");
        Assert.Empty(local.Accounts);
        Assert.Null(local.DefaultAccount);
        Assert.Null(local.ConsumerSecret);
        Assert.Equal("local-consumer", local.ConsumerKey);
    }

    [Fact]
    public void Logout_errors_name_the_host_and_account()
    {
        var store = Store();
        store.Update(_ => LocalWithAccounts());

        Assert.StartsWith("unknown host 'nowhere'", Assert.Throws<ConfigException>(() => store.RemoveAccount("nowhere")).Message, StringComparison.Ordinal);
        Assert.Equal("no account 'carol' on host 'local'", Assert.Throws<ConfigException>(() => store.RemoveAccount("local", "carol")).Message);
        Assert.Equal("not logged in to host 'bitbucket.org'", Assert.Throws<ConfigException>(() => store.RemoveAccount("bitbucket.org")).Message);
    }

    private void WriteRaw(string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(temp.HostsFile)!);
        File.WriteAllText(temp.HostsFile, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp.HostsFile, Mode0600);
        }
    }
}
