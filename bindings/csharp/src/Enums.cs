namespace Ovo
{
    /// <summary>What a libovo call did (<c>ovo_result</c>). Values match the C ABI and are never
    /// reused; a value this binding does not know (from a newer libovo) keeps its number.</summary>
    public enum OvoResult : uint
    {
        /// <summary>The call worked. A push: DOKU answered SUCCESS, FAILED or TIMEOUT. A status
        /// check: DOKU answered, with the payment's status or "not found". Read
        /// <see cref="Payment.Outcome"/>.</summary>
        Ok = 0,

        /// <summary>An argument broke a rule (the error names the field). Nothing was sent.</summary>
        InvalidArgument = 1,

        /// <summary>A buffer was too small (cannot happen through this binding).</summary>
        BufferTooSmall = 2,

        /// <summary>The request never left this machine (DNS, connect, TLS, proxy, or a cancel
        /// before it left). A push is not paid and safe to retry.</summary>
        NotSent = 3,

        /// <summary>The request was sent but no usable answer came back (timeout, reset, cancel,
        /// 3xx, 5xx, HTTP 408/409, a malformed answer), or DOKU answered FAILED with code 40 or 68.
        /// The customer may or may not have paid: check the status with DOKU before trying again.
        /// Never treat as failed.</summary>
        OutcomeUnknown = 4,

        /// <summary>DOKU refused the request with an HTTP 4xx showing it was not processed. A
        /// refused push is not paid; a refused status check tells nothing about the payment.</summary>
        Rejected = 5,

        /// <summary>A bug in libovo (a caught panic).</summary>
        Internal = 6,

        /// <summary>A push of this invoice is already in flight on this client: refused, nothing
        /// sent. The first push decides the outcome (unknown until it ends).</summary>
        InFlight = 7,

        /// <summary>libovo's journal holds this invoice as paid: refused, nothing sent. Do not
        /// charge again; the refusal carries the stored payment (outcome paid).</summary>
        AlreadyPaid = 8,

        /// <summary>An earlier push of this invoice ended with an unknown outcome and no status
        /// check has settled it: refused, nothing sent. Settle it first
        /// (<see cref="OvoClient.Settle"/> or <see cref="OvoClient.CheckStatus"/>).</summary>
        Unsettled = 9,

        /// <summary>DOKU answered this invoice as not paid before and never takes an invoice number
        /// twice: refused, nothing sent. Push again with a new invoice number (libovo's journal
        /// knows this; the refusal carries the stored payment).</summary>
        InvoiceUsed = 10,
    }

    /// <summary>Whether the customer paid (<c>ovo_outcome</c>). Values match the C ABI; the
    /// default value is <see cref="Unknown"/>, never "paid" nor "not paid", and a value this
    /// binding does not know is read as <see cref="Unknown"/>.</summary>
    public enum PaymentOutcome : uint
    {
        /// <summary>Nobody can say yet (DOKU's TIMEOUT or PENDING, no usable answer, a cancelled
        /// wait, an invoice used before, a status check that found nothing): check the status with
        /// DOKU before charging again or giving up. Never treat as failed.</summary>
        Unknown = 0,

        /// <summary>DOKU answered SUCCESS: the customer paid.</summary>
        Paid = 1,

        /// <summary>The customer did not pay: DOKU answered FAILED (or EXPIRED), refused the
        /// push, or the push was never sent.</summary>
        NotPaid = 2,

        /// <summary>The payment was made and then refunded (a status check said REFUNDED): not
        /// paid now.</summary>
        Refunded = 3,
    }

    /// <summary>Which request a <see cref="Payment"/> describes (<c>ovo_kind</c>).</summary>
    public enum PaymentKind : uint
    {
        /// <summary>A push payment (<c>POST /ovo-emoney/v1/payment</c>), or its refusal.</summary>
        Push = 1,

        /// <summary>A status check (<c>GET /orders/v1/status/{invoice}</c>).</summary>
        StatusCheck = 2,
    }

    /// <summary>How important a log line is (<c>ovo_log_level</c>).</summary>
    public enum OvoLogLevel : uint
    {
        /// <summary>Details: connection reuse, timers.</summary>
        Debug = 1,

        /// <summary>A request sent, an answer received.</summary>
        Info = 2,

        /// <summary>An outcome left unknown, a refusal, a cancel.</summary>
        Warn = 3,

        /// <summary>A request that failed.</summary>
        Error = 4,
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
        /// <summary>From the environment when the client is created (the default): for https
        /// <c>https_proxy</c>/<c>HTTPS_PROXY</c>, for http <c>http_proxy</c>/<c>HTTP_PROXY</c>, then
        /// <c>all_proxy</c>/<c>ALL_PROXY</c>; loopback hosts and hosts in <c>NO_PROXY</c> go
        /// direct.</summary>
        FromEnvironment = 0,

        /// <summary>Connect directly, whatever the environment says.</summary>
        None = 1,

        /// <summary>Use <see cref="OvoClientOptions.ProxyUrl"/> (<c>http://[user:pass@]host:port</c>).</summary>
        Url = 2,
    }
}
