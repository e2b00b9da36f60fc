using System;

namespace Ovo.Tests
{
    internal static class ClientTests
    {
        private static OvoInvalidArgumentException Invalid(string clientId, string secretKey, OvoClientOptions options, string field)
        {
            var e = Assert.Throws<OvoInvalidArgumentException>(() => new OvoClient(clientId, secretKey, options).Dispose(), field);
            Assert.Equal(field, e.Field, "Field");
            Assert.Null(e.Payment, "no payment for a client error");
            Assert.DoesNotContain(Sandbox.SecretKey, e.Message, "message");
            Assert.DoesNotContain(Sandbox.SecretKey, e.ToString(), "ToString");
            return e;
        }

        [Test]
        public static void CreatesWithDefaultsAndEveryOption()
        {
            using (var c = new OvoClient(Sandbox.ClientId, Sandbox.SecretKey))
            {
                Assert.Equal(Sandbox.ClientId, c.ClientId, "ClientId");
            }
            using (var c = new OvoClient(Sandbox.ClientId, Sandbox.SecretKey, null))
            {
            }
            var options = new OvoClientOptions
            {
                Environment = OvoEnvironment.Production,
                ConnectTimeout = TimeSpan.FromSeconds(3),
                Timeout = TimeSpan.FromSeconds(80),
                StatusTimeout = TimeSpan.FromSeconds(20),
                ReconcileFirstDelay = TimeSpan.FromSeconds(60),
                ReconcileMaxWait = TimeSpan.FromHours(24),
                ProxyMode = OvoProxyMode.Url,
                ProxyUrl = "http://user:pass@127.0.0.1:3128",
            };
            using (var c = new OvoClient(Sandbox.ClientId, Sandbox.SecretKey, options))
            {
                Assert.DoesNotContain(Sandbox.SecretKey, c.ToString(), "client ToString");
            }
        }

        [Test]
        public static void BadCredentialsNameTheField()
        {
            Invalid(null, Sandbox.SecretKey, null, "client.id");
            Invalid("", Sandbox.SecretKey, null, "client.id");
            Invalid(Sandbox.ClientId, null, null, "secret_key");
            Invalid(Sandbox.ClientId, "", null, "secret_key");
            Invalid(Sandbox.ClientId + "\u0000", Sandbox.SecretKey, null, "client.id");
            Invalid(Sandbox.ClientId, Sandbox.SecretKey + "\uD800", null, "secret_key");
        }

        [Test]
        public static void BadSettingsNameTheSetting()
        {
            Invalid(Sandbox.ClientId, Sandbox.SecretKey, new OvoClientOptions { BaseUrl = "ftp://example.com" }, "base_url");
            Invalid(Sandbox.ClientId, Sandbox.SecretKey, new OvoClientOptions { BaseUrl = "not a url" }, "base_url");
            Invalid(Sandbox.ClientId, Sandbox.SecretKey, new OvoClientOptions { BaseUrl = "http://127.0.0.1:1\u0000" }, "base_url");
            Invalid(Sandbox.ClientId, Sandbox.SecretKey, new OvoClientOptions { Environment = (OvoEnvironment)7 }, "environment");
            Invalid(Sandbox.ClientId, Sandbox.SecretKey, new OvoClientOptions { Timeout = TimeSpan.Zero }, "timeout");
            Invalid(Sandbox.ClientId, Sandbox.SecretKey, new OvoClientOptions { Timeout = TimeSpan.FromMinutes(11) }, "timeout");
            Invalid(Sandbox.ClientId, Sandbox.SecretKey, new OvoClientOptions { Timeout = TimeSpan.FromDays(100) }, "timeout");
            Invalid(Sandbox.ClientId, Sandbox.SecretKey, new OvoClientOptions { ConnectTimeout = TimeSpan.FromSeconds(-1) }, "connect_timeout");
            Invalid(Sandbox.ClientId, Sandbox.SecretKey, new OvoClientOptions { ConnectTimeout = TimeSpan.FromMinutes(11) }, "connect_timeout");
            Invalid(Sandbox.ClientId, Sandbox.SecretKey, new OvoClientOptions { StatusTimeout = TimeSpan.Zero }, "status_timeout");
            Invalid(Sandbox.ClientId, Sandbox.SecretKey, new OvoClientOptions { StatusTimeout = TimeSpan.FromMinutes(11) }, "status_timeout");
            Invalid(Sandbox.ClientId, Sandbox.SecretKey,
                new OvoClientOptions { ReconcileFirstDelay = TimeSpan.FromSeconds(61), ReconcileMaxWait = TimeSpan.FromSeconds(60) }, "reconcile");
            Invalid(Sandbox.ClientId, Sandbox.SecretKey, new OvoClientOptions { ReconcileMaxWait = TimeSpan.FromHours(25) }, "reconcile");
            Invalid(Sandbox.ClientId, Sandbox.SecretKey, new OvoClientOptions { ReconcileMaxWait = TimeSpan.FromSeconds(-1) }, "reconcile");
            Invalid(Sandbox.ClientId, Sandbox.SecretKey,
                new OvoClientOptions { ReconcileFirstDelay = TimeSpan.FromSeconds(-1), ReconcileMaxWait = TimeSpan.FromSeconds(60) }, "reconcile");
            Invalid(Sandbox.ClientId, Sandbox.SecretKey, new OvoClientOptions { BaseUrl = "https://api.doku.com/ovo-emoney/v1/payment" }, "base_url");
            Invalid(Sandbox.ClientId, Sandbox.SecretKey, new OvoClientOptions { CaFile = "/nonexistent/ca.pem" }, "ca_file");
            Invalid(Sandbox.ClientId, Sandbox.SecretKey, new OvoClientOptions { ProxyMode = OvoProxyMode.Url }, "proxy");
            Invalid(Sandbox.ClientId, Sandbox.SecretKey, new OvoClientOptions { ProxyMode = (OvoProxyMode)9 }, "proxy");
        }

        [Test]
        public static void ConnectTimeoutLongerThanTheTotalIsCutNotRefused()
        {
            using (new OvoClient(Sandbox.ClientId, Sandbox.SecretKey, new OvoClientOptions
            {
                ConnectTimeout = TimeSpan.FromSeconds(20),
                Timeout = TimeSpan.FromSeconds(10),
            }))
            {
            }
        }

        [Test]
        public static void ReconcileOffByZeroOrDelayAlone()
        {
            // max_wait 0 is libovo's "off"; a first delay without a window leaves it off too.
            using (new OvoClient(Sandbox.ClientId, Sandbox.SecretKey, new OvoClientOptions { ReconcileMaxWait = TimeSpan.Zero }))
            using (new OvoClient(Sandbox.ClientId, Sandbox.SecretKey, new OvoClientOptions { ReconcileFirstDelay = TimeSpan.Zero }))
            {
            }
        }

        [Test]
        public static void SubMillisecondTimeoutRoundsUp()
        {
            // 0.2 ms must not become 0 ms (which libovo rejects): it is 1 ms.
            using (new OvoClient(Sandbox.ClientId, Sandbox.SecretKey, new OvoClientOptions
            {
                Timeout = TimeSpan.FromTicks(2000),
                ConnectTimeout = TimeSpan.FromTicks(2000),
                StatusTimeout = TimeSpan.FromTicks(2000),
            }))
            {
            }
        }

        [Test]
        public static void ProxyUrlIsUsed()
        {
            // The proxy points at a closed port: the request can never leave, so NOT_SENT.
            var options = new OvoClientOptions
            {
                BaseUrl = Sandbox.BaseUrl,
                ProxyMode = OvoProxyMode.Url,
                ProxyUrl = ClosedPort.BaseUrl(),
                ConnectTimeout = TimeSpan.FromSeconds(2),
            };
            using (var c = new OvoClient(Sandbox.ClientId, Sandbox.SecretKey, options))
            {
                var e = Assert.Throws<OvoNotSentException>(() => c.PushPayment(Sandbox.Invoice(), 1000, Sandbox.CashWallet), "through a dead proxy");
                Assert.Equal(PaymentOutcome.NotPaid, e.Payment.Outcome, "not sent is not paid");
            }
        }
    }
}
