using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Ovo.Tests
{
    /// <summary>Issue 13: the timeouts a default <see cref="OvoClientOptions"/> gives are libovo's
    /// own (the binding passes nothing), libovo's are 90 s / 10 s / 30 s, and the binding's docs
    /// (XML docs, README) say the same numbers.</summary>
    internal static class DefaultsTests
    {
        /// <summary>libovo's defaults: the getters on a fresh <c>ovo_config_new()</c>, in ms
        /// (push, connect, status check).</summary>
        private static uint[] LibovoDefaults()
        {
            using (OvoConfigHandle config = NativeMethods.ovo_config_new())
            {
                return Read(config);
            }
        }

        private static uint[] Read(OvoConfigHandle config)
        {
            return new[]
            {
                NativeMethods.ovo_config_timeout_ms(config),
                NativeMethods.ovo_config_connect_timeout_ms(config),
                NativeMethods.ovo_config_status_timeout_ms(config),
            };
        }

        private static string Show(uint[] ms)
        {
            return string.Join(" / ", ms);
        }

        [Test]
        public static void LibovoDefaultsAre90And10And30Seconds()
        {
            Assert.Equal("90000 / 10000 / 30000", Show(LibovoDefaults()), "ovo_config_new(): push / connect / status timeouts");
        }

        [Test]
        public static void DefaultOptionsLeaveLibovosDefaults()
        {
            uint[] libovo = LibovoDefaults();
            using (OvoConfigHandle config = new OvoClientOptions().ToNative())
            {
                Assert.Equal(Show(libovo), Show(Read(config)), "the config the binding builds from default options");
            }
            foreach (OvoClientOptions options in new[] { null, new OvoClientOptions(), new OvoClientOptions { Journal = null, BaseUrl = null } })
            {
                using (var c = new OvoClient(Sandbox.ClientId, Sandbox.SecretKey, options))
                {
                    Assert.Equal(TimeSpan.FromMilliseconds(libovo[0]), c.Timeout, "Timeout");
                    Assert.Equal(TimeSpan.FromMilliseconds(libovo[1]), c.ConnectTimeout, "ConnectTimeout");
                    Assert.Equal(TimeSpan.FromMilliseconds(libovo[2]), c.StatusTimeout, "StatusTimeout");
                }
            }
        }

        [Test]
        public static void SetTimeoutsAreTheOnesInUse()
        {
            var options = new OvoClientOptions
            {
                Timeout = TimeSpan.FromSeconds(61),
                ConnectTimeout = TimeSpan.FromMilliseconds(2500),
                StatusTimeout = TimeSpan.FromTicks(2000), // 0.2 ms rounds up to 1 ms
            };
            using (OvoConfigHandle config = options.ToNative())
            {
                Assert.Equal("61000 / 2500 / 1", Show(Read(config)), "ovo_config_*_timeout_ms");
            }
            using (var c = new OvoClient(Sandbox.ClientId, Sandbox.SecretKey, options))
            {
                Assert.Equal(TimeSpan.FromSeconds(61), c.Timeout, "Timeout");
                Assert.Equal(TimeSpan.FromMilliseconds(2500), c.ConnectTimeout, "ConnectTimeout");
                Assert.Equal(TimeSpan.FromMilliseconds(1), c.StatusTimeout, "StatusTimeout");
            }
        }

        [Test]
        public static void DocumentedDefaultsAreLibovos()
        {
            string path = Environment.GetEnvironmentVariable("OVO_DOC_XML");
            Assert.True(!string.IsNullOrEmpty(path), "OVO_DOC_XML is set (run tests/csharp.sh)");
            XDocument docs = XDocument.Load(path);
            uint[] libovo = LibovoDefaults();
            string[] members = { "Timeout", "ConnectTimeout", "StatusTimeout" };
            for (int i = 0; i < members.Length; i++)
            {
                string name = "P:Ovo.OvoClientOptions." + members[i];
                XElement member = docs.Descendants("member").FirstOrDefault(m => (string)m.Attribute("name") == name);
                Assert.NotNull(member, name + " in " + path);
                string summary = Regex.Replace(member.Element("summary").Value, "\\s+", " ");
                Match said = Regex.Match(summary, "libovo's default: (\\d+) s\\b");
                Assert.True(said.Success, name + " documents libovo's default: " + summary);
                Assert.Equal(libovo[i], uint.Parse(said.Groups[1].Value) * 1000, name + "'s documented default (ms)");
            }

            string readme = Environment.GetEnvironmentVariable("OVO_CSHARP_README");
            Assert.True(!string.IsNullOrEmpty(readme), "OVO_CSHARP_README is set (run tests/csharp.sh)");
            Match table = Regex.Match(File.ReadAllText(readme), "libovo's defaults \\((\\d+) s, (\\d+) s, (\\d+) s\\)");
            Assert.True(table.Success, "the README's API table names libovo's defaults");
            Assert.Equal(Show(libovo), Show(table.Groups.Cast<Group>().Skip(1).Select(g => uint.Parse(g.Value) * 1000).ToArray()),
                "the README's defaults (push / connect / status, ms)");
        }
    }
}
