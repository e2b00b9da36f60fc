using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("OvoTests")]

namespace Ovo
{
    /// <summary>Facts about the native library loaded.</summary>
    public static class OvoLibrary
    {
        /// <summary>The version of the libovo loaded, e.g. <c>"0.1.0"</c> (<c>ovo_version()</c>).</summary>
        public static string Version
        {
            get { return Utf8.FromNative(NativeMethods.ovo_version()); }
        }
    }
}
