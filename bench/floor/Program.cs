// The runtime floor (bench/any.sh): what any .NET program built like bb's self-contained packages pays.
//   floor --version   prints a version line, as `bb --version` does;
//   floor get URL     what a signed GET minimally needs: one HMAC-SHA1 over a short base string, then one
//                     HttpClient GET of URL carrying it, the body printed, as `bb user get` does.
using System.Security.Cryptography;
using System.Text;

if (args is ["--version"])
{
    Console.WriteLine("floor 0.1.0");
    return 0;
}
if (args is not ["get", var url])
{
    Console.Error.WriteLine("usage: floor --version | floor get URL");
    return 2;
}

var baseString = "GET&" + Uri.EscapeDataString(url) + "&oauth_consumer_key%3Dfloor%26oauth_nonce%3D1";
var signature = Convert.ToBase64String(HMACSHA1.HashData("floor-secret&token-secret"u8, Encoding.UTF8.GetBytes(baseString)));
using var client = new HttpClient();
using var request = new HttpRequestMessage(HttpMethod.Get, url);
request.Headers.TryAddWithoutValidation("Authorization", $"OAuth oauth_consumer_key=\"floor\", oauth_signature=\"{Uri.EscapeDataString(signature)}\"");
using var response = await client.SendAsync(request);
Console.Out.Write(await response.Content.ReadAsStringAsync());
Console.Out.WriteLine();
return 0;
