using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace QaAnalytics.Service.Security;

/// <summary>A configured signing key: a PEM public key (RSA or EC) or a base64 shared secret.</summary>
internal static class SigningKeyParser
{
    public static SecurityKey Parse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            if (trimmed.Contains("PRIVATE KEY", StringComparison.Ordinal)) throw new FormatException("is a private key: configure the public key only");
            // The key objects live as long as the service (the validation parameters hold them).
            var rsa = RSA.Create();
            try
            {
                rsa.ImportFromPem(trimmed);
                return new RsaSecurityKey(rsa);
            }
            catch (Exception ex) when (ex is ArgumentException or CryptographicException)
            {
                rsa.Dispose();  // not RSA: try EC
            }
            var ec = ECDsa.Create();
            try
            {
                ec.ImportFromPem(trimmed);
                return new ECDsaSecurityKey(ec);
            }
            catch (Exception ex) when (ex is ArgumentException or CryptographicException)
            {
                ec.Dispose();
                throw new FormatException("is not an RSA or EC public key in PEM", ex);
            }
        }
        byte[] secret;
        try
        {
            secret = Convert.FromBase64String(trimmed);
        }
        catch (FormatException ex)
        {
            throw new FormatException("is neither a PEM public key nor a base64 shared secret", ex);
        }
        if (secret.Length < 32) throw new FormatException("a shared secret must be at least 32 bytes (256 bits)");
        return new SymmetricSecurityKey(secret);
    }
}
