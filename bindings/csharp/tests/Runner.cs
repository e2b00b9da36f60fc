// A small test runner (no NUnit needed): runs every public static method marked [Test], in
// source order per class, waits for the ones that return a Task, and ends with exactly one line
// "N passed, N failed". Exit code 0 only when nothing failed.
// Usage: mono OvoTests.exe [substring-filter...]

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;

namespace Ovo.Tests
{
    [AttributeUsage(AttributeTargets.Method)]
    internal sealed class TestAttribute : Attribute
    {
    }

    internal sealed class AssertionException : Exception
    {
        public AssertionException(string message) : base(message) { }
    }

    internal static class Assert
    {
        public static void True(bool condition, string message)
        {
            if (!condition)
            {
                throw new AssertionException(message);
            }
        }

        public static void Equal<T>(T expected, T actual, string what)
        {
            if (!EqualityComparer<T>.Default.Equals(expected, actual))
            {
                throw new AssertionException(what + ": expected <" + expected + "> but got <" + actual + ">");
            }
        }

        public static void NotNull(object value, string what)
        {
            if (value == null)
            {
                throw new AssertionException(what + ": expected a value, got null");
            }
        }

        public static void Null(object value, string what)
        {
            if (value != null)
            {
                throw new AssertionException(what + ": expected null, got <" + value + ">");
            }
        }

        public static void Contains(string needle, string haystack, string what)
        {
            if (haystack == null || haystack.IndexOf(needle, StringComparison.Ordinal) < 0)
            {
                throw new AssertionException(what + ": <" + haystack + "> does not contain <" + needle + ">");
            }
        }

        public static void DoesNotContain(string needle, string haystack, string what)
        {
            if (haystack != null && haystack.IndexOf(needle, StringComparison.Ordinal) >= 0)
            {
                throw new AssertionException(what + ": <" + haystack + "> must not contain <" + needle + ">");
            }
        }

        public static T Throws<T>(Action action, string what) where T : Exception
        {
            try
            {
                action();
            }
            catch (T e)
            {
                if (e.GetType() != typeof(T))
                {
                    throw new AssertionException(what + ": expected exactly " + typeof(T).Name + ", got " + e.GetType().Name + ": " + e.Message);
                }
                return e;
            }
            catch (Exception e)
            {
                throw new AssertionException(what + ": expected " + typeof(T).Name + ", got " + e.GetType().Name + ": " + e.Message);
            }
            throw new AssertionException(what + ": expected " + typeof(T).Name + ", nothing was thrown");
        }

        /// <summary>Waits for a task that must fault with exactly T (not wrapped).</summary>
        public static T Faults<T>(Task task, string what) where T : Exception
        {
            try
            {
                if (!task.Wait(TimeSpan.FromSeconds(60)))
                {
                    throw new AssertionException(what + ": task did not finish in 60 s");
                }
            }
            catch (AggregateException ae)
            {
                Exception e = ae.InnerExceptions.Count == 1 ? ae.InnerExceptions[0] : ae;
                if (e.GetType() == typeof(T))
                {
                    return (T)e;
                }
                throw new AssertionException(what + ": expected " + typeof(T).Name + ", got " + e.GetType().Name + ": " + e.Message);
            }
            throw new AssertionException(what + ": expected " + typeof(T).Name + ", the task succeeded");
        }
    }

    internal static class Program
    {
        private static int Main(string[] args)
        {
            List<MethodInfo> tests = typeof(Program).Assembly.GetTypes()
                .OrderBy(t => t.FullName, StringComparer.Ordinal)
                .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static)
                    .Where(m => m.IsDefined(typeof(TestAttribute), false))
                    .OrderBy(m => m.MetadataToken))
                .Where(m => args.Length == 0 || args.Any(a => Name(m).IndexOf(a, StringComparison.OrdinalIgnoreCase) >= 0))
                .ToList();

            int passed = 0;
            int failed = 0;
            foreach (MethodInfo test in tests)
            {
                var clock = Stopwatch.StartNew();
                try
                {
                    object returned = test.Invoke(null, null);
                    var task = returned as Task;
                    if (task != null && !task.Wait(TimeSpan.FromSeconds(120)))
                    {
                        throw new TimeoutException("test did not finish in 120 s");
                    }
                    passed++;
                    Console.WriteLine("ok    " + Name(test) + " (" + clock.ElapsedMilliseconds + " ms)");
                }
                catch (Exception e)
                {
                    failed++;
                    Console.WriteLine("FAIL  " + Name(test) + " (" + clock.ElapsedMilliseconds + " ms): " + Describe(e));
                }
            }
            if (tests.Count == 0)
            {
                Console.WriteLine("no test matched");
                failed++;
            }
            Console.Out.Flush();
            Console.WriteLine(passed + " passed, " + failed + " failed");
            Console.Out.Flush();
            return failed == 0 ? 0 : 1;
        }

        private static string Name(MethodInfo m)
        {
            return m.DeclaringType.Name + "." + m.Name;
        }

        private static string Describe(Exception e)
        {
            while ((e is TargetInvocationException || e is AggregateException) && e.InnerException != null)
            {
                e = e.InnerException;
            }
            return e is AssertionException ? e.Message : e.ToString();
        }
    }
}
