// Test helpers: the sandbox's address and control API, fake servers for the failure paths.

using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
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

        /// <summary>A fresh invoice number, unique across runs.</summary>
        public static string Invoice()
        {
            return "CS-" + Guid.NewGuid().ToString("N").Substring(0, 24).ToUpperInvariant();
        }

        public static OvoClient Client(string baseUrl = null, TimeSpan? timeout = null, string secretKey = SecretKey)
        {
            return new OvoClient(ClientId, secretKey, new OvoClientOptions
            {
                BaseUrl = baseUrl ?? BaseUrl,
                ProxyMode = OvoProxyMode.None,
                ConnectTimeout = timeout.HasValue && timeout.Value < TimeSpan.FromSeconds(2) ? timeout.Value : TimeSpan.FromSeconds(2),
                Timeout = timeout ?? TimeSpan.FromSeconds(30),
            });
        }

        /// <summary>POSTs JSON to the sandbox's control API; returns the HTTP status.</summary>
        public static int Post(string path, string json, out string body)
        {
            var request = (HttpWebRequest)WebRequest.Create(BaseUrl + path);
            request.Method = "POST";
            request.Proxy = null;
            request.ContentType = "application/json";
            request.Timeout = 10000;
            byte[] bytes = Encoding.UTF8.GetBytes(json);
            using (Stream s = request.GetRequestStream())
            {
                s.Write(bytes, 0, bytes.Length);
            }
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
        public static bool IsPending(string invoice)
        {
            string body;
            return Post("/simulator/inquiry", "{\"invoice_number\":\"" + invoice + "\"}", out body) == 200;
        }

        /// <summary>Polls (no fixed sleep) until the sandbox holds the push, or fails after 20 s.</summary>
        public static void WaitPending(string invoice)
        {
            var clock = Stopwatch.StartNew();
            while (!IsPending(invoice))
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(20))
                {
                    throw new AssertionException("the sandbox never received the push for " + invoice);
                }
                Thread.Sleep(10);
            }
        }

        /// <summary>Acts as the customer: approves the held push with cash or points.</summary>
        public static void Pay(string invoice, string method)
        {
            string body;
            int status = Post("/simulator/pay", "{\"invoice_number\":\"" + invoice + "\",\"method\":\"" + method + "\"}", out body);
            Assert.Equal(200, status, "POST /simulator/pay " + body);
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
