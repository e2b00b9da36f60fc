// Test helpers: the sandbox's address and control API, fake servers for the failure paths.

using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;

namespace Ovo.Tests
{
    internal static class Sandbox
    {
        public const string ClientId = "MCH-0001-10791114622547";
        public const string SecretKey = "SK-9sCrJ1kdYUJAYlsJKlqz";

        // Wallets of ovo-sandbox.
        public const string CashWallet = "081211111111";
        public const string PointsWallet = "081522222222";
        public const string DeclineWallet = "081733333333";
        public const string SilentWallet = "080012341234";   // TIMEOUT "68" after --hold
        public const string ManualWallet = "081298765432";   // waits for /simulator/pay

        // Fault wallets: each pays (the status says SUCCESS) but the push's answer goes wrong.
        public static readonly string[] FaultWallets =
        {
            "089800000500", // HTTP 500, HTML
            "089800000503", // HTTP 503, empty
            "089800000104", // connection reset, no answer
            "089800000200", // HTTP 200, JSON cut in half
            "089800000408", // no answer until the hold ends
        };

        public static string BaseUrl
        {
            get
            {
                string url = Environment.GetEnvironmentVariable("OVO_SANDBOX_URL");
                if (string.IsNullOrEmpty(url))
                {
                    throw new InvalidOperationException("OVO_SANDBOX_URL is not set (run tests/csharp.sh)");
                }
                return url.TrimEnd('/');
            }
        }

        /// <summary>The second sandbox: it holds a push 60 s (tests that act after a cancel, a
        /// client timeout or a reconcile pause never race DOKU's window).</summary>
        public static string HoldUrl
        {
            get
            {
                string url = Environment.GetEnvironmentVariable("OVO_SANDBOX_HOLD_URL");
                if (string.IsNullOrEmpty(url))
                {
                    throw new InvalidOperationException("OVO_SANDBOX_HOLD_URL is not set (run tests/csharp.sh)");
                }
                return url.TrimEnd('/');
            }
        }

        /// <summary>A fresh invoice number, unique across runs.</summary>
        public static string Invoice()
        {
            return "CS-" + Guid.NewGuid().ToString("N").Substring(0, 24).ToUpperInvariant();
        }

        public static OvoClient Client(string baseUrl = null, TimeSpan? timeout = null, string secretKey = SecretKey,
            Action<OvoClientOptions> configure = null)
        {
            var options = new OvoClientOptions
            {
                BaseUrl = baseUrl ?? BaseUrl,
                ProxyMode = OvoProxyMode.None,
                ConnectTimeout = timeout.HasValue && timeout.Value < TimeSpan.FromSeconds(2) ? timeout.Value : TimeSpan.FromSeconds(2),
                Timeout = timeout ?? TimeSpan.FromSeconds(30),
                StatusTimeout = TimeSpan.FromSeconds(10),
            };
            if (configure != null)
            {
                configure(options);
            }
            return new OvoClient(ClientId, secretKey, options);
        }

        /// <summary>GETs a control API path; returns the HTTP status.</summary>
        public static int Get(string path, out string body, string baseUrl = null)
        {
            var request = (HttpWebRequest)WebRequest.Create((baseUrl ?? BaseUrl) + path);
            request.Method = "GET";
            request.Proxy = null;
            request.Timeout = 10000;
            return Read(request, out body);
        }

        /// <summary>The sandbox's counters: pushes and status checks it received so far.</summary>
        public static Counters Stats(string baseUrl = null)
        {
            string body;
            Assert.Equal(200, Get("/simulator/stats", out body, baseUrl), "GET /simulator/stats " + body);
            return new Counters(Count(body, "payment_requests"), Count(body, "status_requests"));
        }

        private static long Count(string json, string name)
        {
            Match m = Regex.Match(json, "\"" + name + "\"\\s*:\\s*(\\d+)");
            Assert.True(m.Success, name + " in " + json);
            return long.Parse(m.Groups[1].Value);
        }

        /// <summary>Polls <paramref name="condition"/> (no fixed sleep as synchronisation) until it
        /// holds, or fails after <paramref name="seconds"/>.</summary>
        public static void WaitUntil(Func<bool> condition, string what, int seconds = 20)
        {
            var clock = Stopwatch.StartNew();
            while (!condition())
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(seconds))
                {
                    throw new AssertionException("timed out after " + seconds + " s waiting for " + what);
                }
                Thread.Sleep(10);
            }
        }

        /// <summary>POSTs JSON to the sandbox's control API; returns the HTTP status.</summary>
        public static int Post(string path, string json, out string body, string baseUrl = null)
        {
            var request = (HttpWebRequest)WebRequest.Create((baseUrl ?? BaseUrl) + path);
            request.Method = "POST";
            request.Proxy = null;
            request.ContentType = "application/json";
            request.Timeout = 10000;
            byte[] bytes = Encoding.UTF8.GetBytes(json);
            using (Stream s = request.GetRequestStream())
            {
                s.Write(bytes, 0, bytes.Length);
            }
            return Read(request, out body);
        }

        private static int Read(HttpWebRequest request, out string body)
        {
            HttpWebResponse response;
            try
            {
                response = (HttpWebResponse)request.GetResponse();
            }
            catch (WebException e) when (e.Response != null)
            {
                response = (HttpWebResponse)e.Response;
            }
            using (response)
            using (var reader = new StreamReader(response.GetResponseStream(), Encoding.UTF8))
            {
                body = reader.ReadToEnd();
                return (int)response.StatusCode;
            }
        }

        /// <summary>Whether the sandbox holds a push for <paramref name="invoice"/> right now.</summary>
        public static bool IsPending(string invoice, string baseUrl = null)
        {
            string body;
            return Post("/simulator/inquiry", "{\"invoice_number\":\"" + invoice + "\"}", out body, baseUrl) == 200;
        }

        /// <summary>Polls (no fixed sleep) until the sandbox holds the push, or fails after 20 s.</summary>
        public static void WaitPending(string invoice, string baseUrl = null)
        {
            WaitUntil(() => IsPending(invoice, baseUrl), "the sandbox to hold the push for " + invoice);
        }

        /// <summary>Acts as the customer: approves the held push with cash or points.</summary>
        public static void Pay(string invoice, string method, string baseUrl = null)
        {
            string body;
            int status = Post("/simulator/pay", "{\"invoice_number\":\"" + invoice + "\",\"method\":\"" + method + "\"}", out body, baseUrl);
            Assert.Equal(200, status, "POST /simulator/pay " + body);
        }

        /// <summary>Acts as the customer: declines the held push.</summary>
        public static void Decline(string invoice, string baseUrl = null)
        {
            string body;
            int status = Post("/simulator/decline", "{\"invoice_number\":\"" + invoice + "\"}", out body, baseUrl);
            Assert.Equal(200, status, "POST /simulator/decline " + body);
        }

        /// <summary>Waits until no async callback is outstanding (they all ran and freed their payment).</summary>
        public static void WaitForCallbacks()
        {
            var clock = Stopwatch.StartNew();
            while (OvoClient.PendingCallbacks != 0)
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new AssertionException(OvoClient.PendingCallbacks + " native callbacks never ran");
                }
                Thread.Sleep(10);
            }
        }
    }

    /// <summary>A fresh folder for one test (under <c>OVO_TEST_TMP</c>, which tests/csharp.sh
    /// points into target/csharp), deleted with everything in it on Dispose.</summary>
    internal sealed class TempDir : IDisposable
    {
        public TempDir()
        {
            string root = Environment.GetEnvironmentVariable("OVO_TEST_TMP");
            Path = System.IO.Path.Combine(string.IsNullOrEmpty(root) ? System.IO.Path.GetTempPath() : root,
                "ovo-cs-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        /// <summary>A path in this folder.</summary>
        public string File(string name)
        {
            return System.IO.Path.Combine(Path, name);
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, true);
            }
            catch (IOException)
            {
                // Left for the next run's clean-up (tests/csharp.sh wipes target/csharp).
            }
        }
    }

    /// <summary>A sandbox's request counters (<c>GET /simulator/stats</c>).</summary>
    internal struct Counters
    {
        public Counters(long payments, long statusChecks)
        {
            Payments = payments;
            StatusChecks = statusChecks;
        }

        /// <summary>Pushes received (<c>payment_requests</c>).</summary>
        public long Payments { get; }

        /// <summary>Status checks received (<c>status_requests</c>).</summary>
        public long StatusChecks { get; }
    }

    /// <summary>A loopback port nothing listens on.</summary>
    internal static class ClosedPort
    {
        public static string BaseUrl()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return "http://127.0.0.1:" + port;
        }
    }

    /// <summary>
    /// A one-purpose HTTP server on a loopback port: reads each request completely, then answers
    /// with <c>respond(requestText)</c> (raw HTTP bytes), or closes the connection when it returns
    /// null, or holds the connection open until disposed when it returns "HANG".
    /// </summary>
    internal sealed class FakeServer : IDisposable
    {
        private readonly TcpListener listener;
        private readonly Func<string, string> respond;
        private readonly ManualResetEventSlim stopped = new ManualResetEventSlim(false);
        private int requests;

        public FakeServer(Func<string, string> respond)
        {
            this.respond = respond;
            listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            BaseUrl = "http://127.0.0.1:" + ((IPEndPoint)listener.LocalEndpoint).Port;
            var thread = new Thread(AcceptLoop) { IsBackground = true };
            thread.Start();
        }

        public string BaseUrl { get; }

        public int Requests
        {
            get { return Volatile.Read(ref requests); }
        }

        public static string Http(int status, string reason, string body, string contentType = "application/json")
        {
            return "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: " + contentType +
                   "\r\nContent-Length: " + Encoding.UTF8.GetByteCount(body) + "\r\nConnection: close\r\n\r\n" + body;
        }

        public void Dispose()
        {
            stopped.Set();
            listener.Stop();
        }

        private void AcceptLoop()
        {
            while (!stopped.IsSet)
            {
                TcpClient client;
                try
                {
                    client = listener.AcceptTcpClient();
                }
                catch (Exception)
                {
                    return;
                }
                var t = new Thread(() => Serve(client)) { IsBackground = true };
                t.Start();
            }
        }

        private void Serve(TcpClient client)
        {
            using (client)
            {
                try
                {
                    NetworkStream stream = client.GetStream();
                    string request = ReadRequest(stream);
                    Interlocked.Increment(ref requests);
                    string answer = respond(request);
                    if (answer == "HANG")
                    {
                        stopped.Wait();
                        return;
                    }
                    if (answer != null)
                    {
                        byte[] bytes = Encoding.UTF8.GetBytes(answer);
                        stream.Write(bytes, 0, bytes.Length);
                        stream.Flush();
                    }
                }
                catch (Exception)
                {
                    // The client may hang up first; nothing to do.
                }
            }
        }

        private static string ReadRequest(NetworkStream stream)
        {
            var data = new MemoryStream();
            var buffer = new byte[4096];
            int headerEnd = -1;
            int contentLength = 0;
            while (true)
            {
                int n = stream.Read(buffer, 0, buffer.Length);
                if (n <= 0)
                {
                    break;
                }
                data.Write(buffer, 0, n);
                string text = Encoding.UTF8.GetString(data.ToArray());
                if (headerEnd < 0)
                {
                    headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                    if (headerEnd >= 0)
                    {
                        foreach (string line in text.Substring(0, headerEnd).Split(new[] { "\r\n" }, StringSplitOptions.None))
                        {
                            if (line.StartsWith("content-length:", StringComparison.OrdinalIgnoreCase))
                            {
                                contentLength = int.Parse(line.Substring(15).Trim());
                            }
                        }
                    }
                }
                if (headerEnd >= 0 && data.Length >= headerEnd + 4 + contentLength)
                {
                    break;
                }
            }
            return Encoding.UTF8.GetString(data.ToArray());
        }
    }
}
