using System;

namespace Ovo
{
    /// <summary>
    /// Settings for <see cref="OvoClient"/>. Every value is handed to libovo as is and checked by it
    /// when the client is created (a bad value gives <see cref="OvoInvalidArgumentException"/>
    /// naming the setting). Unset values keep libovo's defaults.
    /// </summary>
    public sealed class OvoClientOptions
    {
        /// <summary>DOKU's sandbox (the default) or production host.</summary>
        public OvoEnvironment Environment { get; set; } = OvoEnvironment.Sandbox;

        /// <summary>Overrides the environment's base URL, e.g. <c>http://127.0.0.1:8080</c> for a
        /// local sandbox. <c>null</c> (the default) uses the environment's host.</summary>
        public string BaseUrl { get; set; }

        /// <summary>DNS and TCP/TLS connect timeout, each (libovo's default: 10 s). Whole
        /// milliseconds, rounded up; must be more than zero and at most <see cref="Timeout"/>.</summary>
        public TimeSpan? ConnectTimeout { get; set; }

        /// <summary>Total timeout of one payment (libovo's default: 90 s, longer than DOKU's 70 s
        /// hold). Whole milliseconds, rounded up; 1 ms to 10 minutes.</summary>
        public TimeSpan? Timeout { get; set; }

        /// <summary>A PEM CA bundle to use instead of the built-in roots; read when the client is
        /// created. <c>null</c> (the default) uses the built-in roots.</summary>
        public string CaFile { get; set; }

        /// <summary>How to use a proxy (default: from the environment variables, like curl).</summary>
        public OvoProxyMode ProxyMode { get; set; } = OvoProxyMode.FromEnvironment;

        /// <summary>The proxy for <see cref="OvoProxyMode.Url"/>: <c>http://[user:pass@]host:port</c>.
        /// Ignored for the other modes.</summary>
        public string ProxyUrl { get; set; }

        /// <summary>Writes these settings into a native config.</summary>
        internal void ApplyTo(OvoConfigHandle config)
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
