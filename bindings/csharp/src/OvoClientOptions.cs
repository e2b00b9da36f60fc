using System;

namespace Ovo
{
    /// <summary>
    /// Settings for <see cref="OvoClient"/>. Every value is handed to libovo as is and checked by it
    /// when the client is created (a bad value gives <see cref="OvoInvalidArgumentException"/>
    /// naming the setting). Unset values keep libovo's defaults: the binding passes nothing for
    /// them, and the client reports the values in use (<see cref="OvoClient.Timeout"/>,
    /// <see cref="OvoClient.ConnectTimeout"/>, <see cref="OvoClient.StatusTimeout"/>).
    /// </summary>
    public sealed class OvoClientOptions
    {
        /// <summary>DOKU's sandbox (the default) or production host.</summary>
        public OvoEnvironment Environment { get; set; } = OvoEnvironment.Sandbox;

        /// <summary>Overrides the environment's base URL, e.g. <c>http://127.0.0.1:8080</c> for a
        /// local sandbox. <c>null</c> (the default) uses the environment's host.</summary>
        public string BaseUrl { get; set; }

        /// <summary>Connect timeout: DNS, TCP, proxy tunnel and TLS handshake (libovo's default:
        /// 10 s). Whole milliseconds, rounded up; 1 ms to 10 minutes; a request never waits longer
        /// than its total timeout, so a longer value is cut to it.</summary>
        public TimeSpan? ConnectTimeout { get; set; }

        /// <summary>Total timeout of one payment (libovo's default: 90 s, longer than DOKU's 70 s
        /// hold). Whole milliseconds, rounded up; 1 ms to 10 minutes.</summary>
        public TimeSpan? Timeout { get; set; }

        /// <summary>Total timeout of one status check (<see cref="OvoClient.CheckStatus"/> and
        /// reconcile; libovo's default: 30 s). Whole milliseconds, rounded up; 1 ms to 10 minutes.</summary>
        public TimeSpan? StatusTimeout { get; set; }

        /// <summary>
        /// Turns reconcile on (off by default): after a push ends with an unknown outcome (DOKU's
        /// TIMEOUT, code 40 or 68, no usable answer; a cancel excepted), libovo checks its status
        /// after <see cref="ReconcileFirstDelay"/>, then with doubling pauses (1 s to 30 s) until DOKU
        /// gives a final answer or this much time has passed since the push ended. It never pushes
        /// again. The payment's <see cref="Payment.Outcome"/> is then its last check's
        /// (<see cref="Payment.LastCheck"/>). <c>null</c> or zero: off; at most 24 hours.
        /// </summary>
        public TimeSpan? ReconcileMaxWait { get; set; }

        /// <summary>How long after an unknown push ends libovo first checks its status (with
        /// <see cref="ReconcileMaxWait"/>; <c>null</c> means at once). At most
        /// <see cref="ReconcileMaxWait"/>. DOKU advises checking no earlier than about 60 s after a
        /// payment.</summary>
        public TimeSpan? ReconcileFirstDelay { get; set; }

        /// <summary>
        /// Turns libovo's payment journal on (off by default, <c>null</c>): a SQLite file at this
        /// path (created if missing; its folder must exist) that records every push durably before
        /// it is sent, then its answer and every status check. With it an invoice is pushed at most
        /// once across crashes, restarts and processes sharing the file: a paid invoice is refused
        /// with <see cref="OvoAlreadyPaidException"/>, an open one with
        /// <see cref="OvoUnsettledException"/> until <see cref="OvoClient.Settle"/> settles it, one
        /// DOKU answered not paid with <see cref="OvoInvoiceUsedException"/>; after a restart,
        /// <see cref="OvoClient.Unsettled"/> lists what is open. A file that is not a libovo journal,
        /// is corrupt, read-only or from a newer libovo makes the constructor throw
        /// <see cref="OvoInvalidArgumentException"/> naming <c>journal</c> (the file is left
        /// unchanged). The file holds invoices, amounts and phone numbers, never the secret key.
        /// </summary>
        public string Journal { get; set; }

        /// <summary>A PEM CA bundle to use instead of the built-in roots; read when the client is
        /// created. <c>null</c> (the default) uses the built-in roots.</summary>
        public string CaFile { get; set; }

        /// <summary>How to use a proxy (default: from the environment variables, like curl).</summary>
        public OvoProxyMode ProxyMode { get; set; } = OvoProxyMode.FromEnvironment;

        /// <summary>The proxy for <see cref="OvoProxyMode.Url"/>: <c>http://[user:pass@]host:port</c>.
        /// Ignored for the other modes.</summary>
        public string ProxyUrl { get; set; }

        /// <summary>A native config holding these settings (the caller frees it).</summary>
        internal OvoConfigHandle ToNative()
        {
            OvoConfigHandle config = NativeMethods.ovo_config_new();
            if (config.IsInvalid)
            {
                throw new OutOfMemoryException("ovo_config_new returned NULL");
            }
            try
            {
                ApplyTo(config);
                return config;
            }
            catch
            {
                config.Dispose();
                throw;
            }
        }

        /// <summary>Writes these settings into a native config.</summary>
        private void ApplyTo(OvoConfigHandle config)
        {
            Check(NativeMethods.ovo_config_set_environment(config, (uint)Environment));
            if (BaseUrl != null)
            {
                Check(NativeMethods.ovo_config_set_base_url(config, Utf8.ToNative(BaseUrl)));
            }
            if (ConnectTimeout.HasValue)
            {
                Check(NativeMethods.ovo_config_set_connect_timeout_ms(config, Milliseconds(ConnectTimeout.Value)));
            }
            if (Timeout.HasValue)
            {
                Check(NativeMethods.ovo_config_set_timeout_ms(config, Milliseconds(Timeout.Value)));
            }
            if (StatusTimeout.HasValue)
            {
                Check(NativeMethods.ovo_config_set_status_timeout_ms(config, Milliseconds(StatusTimeout.Value)));
            }
            if (ReconcileMaxWait.HasValue || ReconcileFirstDelay.HasValue)
            {
                Check(NativeMethods.ovo_config_set_reconcile(
                    config,
                    ReconcileMilliseconds(ReconcileFirstDelay ?? TimeSpan.Zero),
                    ReconcileMilliseconds(ReconcileMaxWait ?? TimeSpan.Zero)));
            }
            if (Journal != null)
            {
                Check(NativeMethods.ovo_config_set_journal(config, Utf8.ToNative(Journal)));
            }
            if (CaFile != null)
            {
                Check(NativeMethods.ovo_config_set_ca_file(config, Utf8.ToNative(CaFile)));
            }
            byte[] proxy = Utf8.ToNative(ProxyUrl);
            try
            {
                Check(NativeMethods.ovo_config_set_proxy(config, (uint)ProxyMode, proxy));
            }
            finally
            {
                Utf8.Clear(proxy); // may hold proxy credentials
            }
        }

        /// <summary>
        /// Whole milliseconds, rounded up so a tiny positive value never becomes 0. Values the C
        /// ABI's uint32 cannot hold are clamped to 0 (negative) or uint.MaxValue (too large), which
        /// libovo then rejects with its own message naming the setting.
        /// </summary>
        private static uint Milliseconds(TimeSpan value)
        {
            double ms = Math.Ceiling(value.TotalMilliseconds);
            if (ms <= 0)
            {
                return 0;
            }
            if (ms >= uint.MaxValue)
            {
                return uint.MaxValue;
            }
            return (uint)ms;
        }

        /// <summary>Like <see cref="Milliseconds"/>, but a negative value becomes uint.MaxValue (for
        /// a reconcile window 0 means "off", so it must not hide a negative value; libovo refuses
        /// uint.MaxValue naming the setting).</summary>
        private static uint ReconcileMilliseconds(TimeSpan value)
        {
            return value < TimeSpan.Zero ? uint.MaxValue : Milliseconds(value);
        }

        private static void Check(uint result)
        {
            // The setters only fail for a NULL config, which this binding never passes.
            if (result != (uint)OvoResult.Ok)
            {
                throw OvoException.Create((OvoResult)result, "libovo refused a client setting", null, null);
            }
        }
    }
}
