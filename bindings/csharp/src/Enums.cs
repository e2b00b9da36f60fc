namespace Ovo
{
    /// <summary>What a libovo call did (<c>ovo_result</c>). Values match the C ABI.</summary>
    public enum OvoResult : uint
    {
        /// <summary>The call worked. For a payment: DOKU answered SUCCESS, FAILED or TIMEOUT
        /// (read <see cref="Payment.Outcome"/>).</summary>
        Ok = 0,

        /// <summary>An argument broke a rule (the error names the field). Nothing was sent.</summary>
        InvalidArgument = 1,

        /// <summary>A buffer was too small (cannot happen through this binding).</summary>
        BufferTooSmall = 2,

        /// <summary>The request never left this machine (DNS, connect, TLS, proxy). Not paid;
        /// safe to retry.</summary>
        NotSent = 3,

        /// <summary>The request was sent but no usable answer came back. The customer may or may
        /// not have paid: check the status with DOKU before trying again. Never treat as failed.</summary>
        OutcomeUnknown = 4,

        /// <summary>DOKU refused the request with HTTP 4xx (checksum, credentials, fields). Not paid.</summary>
        Rejected = 5,

        /// <summary>A bug in libovo (a caught panic).</summary>
        Internal = 6,
    }

    /// <summary>Whether the customer paid (<c>ovo_outcome</c>). Values match the C ABI; the
    /// default value is <see cref="Unknown"/>, never "paid" nor "not paid".</summary>
    public enum PaymentOutcome : uint
    {
        /// <summary>Nobody can say yet (DOKU's TIMEOUT, no usable answer, or a cancelled wait):
        /// check the status with DOKU before charging again or giving up. Never treat as failed.</summary>
        Unknown = 0,

        /// <summary>DOKU answered SUCCESS: the customer paid.</summary>
        Paid = 1,

        /// <summary>The customer did not pay: DOKU answered FAILED, refused the request, or the
        /// request was never sent.</summary>
        NotPaid = 2,
    }

    /// <summary>Which DOKU host to talk to (<c>ovo_environment</c>); ignored when
    /// <see cref="OvoClientOptions.BaseUrl"/> is set.</summary>
    public enum OvoEnvironment : uint
    {
        /// <summary><c>https://api-sandbox.doku.com</c> (the default).</summary>
        Sandbox = 0,

        /// <summary><c>https://api.doku.com</c>.</summary>
        Production = 1,
    }

    /// <summary>How the client reaches DOKU (<c>ovo_proxy_mode</c>).</summary>
    public enum OvoProxyMode : uint
    {
        /// <summary>Like curl: <c>HTTPS_PROXY</c> (then <c>ALL_PROXY</c>, <c>HTTP_PROXY</c>) minus
        /// hosts in <c>NO_PROXY</c>, read when the client is created. The default.</summary>
        FromEnvironment = 0,

        /// <summary>Connect directly, whatever the environment says.</summary>
        None = 1,

        /// <summary>Use <see cref="OvoClientOptions.ProxyUrl"/> (<c>http://[user:pass@]host:port</c>).</summary>
        Url = 2,
    }
}
