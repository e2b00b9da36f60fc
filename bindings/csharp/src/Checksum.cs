namespace Ovo
{
    /// <summary>The request's <c>security.check_sum</c>, computed by libovo.</summary>
    public static class Checksum
    {
        /// <summary>
        /// Lower-case hex <c>sha256(amount + clientId + invoiceNumber + ovoId + secretKey)</c>,
        /// after libovo checks the push payment's field rules. Sends nothing; thread-safe.
        /// </summary>
        /// <exception cref="OvoInvalidArgumentException">An argument is <c>null</c> or breaks a
        /// rule; <see cref="OvoException.Field"/> names it.</exception>
        public static string Compute(long amount, string clientId, string invoiceNumber, string ovoId, string secretKey)
        {
            OvoLibrary.EnsureLoaded();
            var output = new byte[NativeMethods.ChecksumBufferLength];
            byte[] secret = Utf8.ToNative(secretKey);
            try
            {
                OvoErrorHandle error;
                uint result = NativeMethods.ovo_checksum(
                    amount,
                    Utf8.ToNative(clientId),
                    Utf8.ToNative(invoiceNumber),
                    Utf8.ToNative(ovoId),
                    secret,
                    output,
                    new System.UIntPtr((uint)output.Length),
                    out error);
                using (error)
                {
                    if (result != (uint)OvoResult.Ok)
                    {
                        throw OvoException.FromError(result, error, null);
                    }
                }
                return Utf8.FromBuffer(output);
            }
            finally
            {
                Utf8.Clear(secret);
            }
        }
    }
}
