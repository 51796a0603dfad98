using System.Reflection;
using System.Runtime.InteropServices;

namespace Landslide.Raster.Interop;

/// <summary>
/// Finds GDAL's shared library. Each distribution ships GDAL under its own SONAME (libgdal.so.32 on Debian 12,
/// .34 on Ubuntu 24.04, ...), so the P/Invoke declarations name the logical library <see cref="Name"/> and this
/// resolver tries the SONAMEs of the supported distributions, then the unversioned development link. When none
/// loads, the one error says which package to install.
/// </summary>
internal static class GdalLibrary
{
    /// <summary>The library name every GDAL P/Invoke declaration uses; only this resolver gives it meaning.</summary>
    public const string Name = "gdal";

    private const string Unversioned = "libgdal.so";

    private static readonly Lock Gate = new();
    private static bool _registered;
    private static nint _handle;

    /// <summary>Supported distributions, newest GDAL first: the package to install and the SONAME it provides.</summary>
    public static IReadOnlyList<GdalPackage> Packages { get; } =
    [
        new("debian", "13", "Debian 13 (trixie)", "libgdal36", "libgdal.so.36"),
        new("ubuntu", "24.04", "Ubuntu 24.04 (noble)", "libgdal34t64", "libgdal.so.34"),
        new("debian", "12", "Debian 12 (bookworm)", "libgdal32", "libgdal.so.32"),
        new("ubuntu", "22.04", "Ubuntu 22.04 (jammy)", "libgdal30", "libgdal.so.30"),
    ];

    /// <summary>What the resolver tries, in order: each supported SONAME, then the unversioned name (libgdal-dev, own builds).</summary>
    public static IReadOnlyList<string> Candidates { get; } = [.. Packages.Select(p => p.Soname), Unversioned];

    /// <summary>Installs the resolver for this assembly once; the interop classes call it from their static constructors.</summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (_registered)
            {
                return;
            }

            NativeLibrary.SetDllImportResolver(typeof(GdalLibrary).Assembly, Resolve);
            _registered = true;
        }
    }

    /// <summary>Loads the first candidate <paramref name="tryLoad"/> accepts.</summary>
    /// <exception cref="DllNotFoundException">None loads; the message names the package to install.</exception>
    public static nint Load(IReadOnlyList<string> candidates, Func<string, nint> tryLoad, string? osRelease)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(tryLoad);
        foreach (var candidate in candidates)
        {
            var handle = tryLoad(candidate);
            if (handle != 0)
            {
                return handle;
            }
        }

        throw new DllNotFoundException(MissingMessage(candidates, osRelease));
    }

    /// <summary>The one message for a missing GDAL: the package for this distribution when it is a supported one.</summary>
    public static string MissingMessage(IReadOnlyList<string> tried, string? osRelease)
    {
        ArgumentNullException.ThrowIfNull(tried);
        var triedList = string.Join(", ", tried);
        if (PackageFor(osRelease) is { } package)
        {
            return $"GDAL is not installed (tried {triedList}): on {package.Distribution} install it with 'apt-get install {package.Package}'.";
        }

        var choices = string.Join("; ", Packages.Select(p => $"{p.Package} on {p.Distribution}"));
        return $"GDAL is not installed (tried {triedList}): install your distribution's GDAL runtime package ({choices}), or put {Unversioned} on the library path.";
    }

    /// <summary>The supported package for an /etc/os-release text (ID and VERSION_ID), or null.</summary>
    public static GdalPackage? PackageFor(string? osRelease)
    {
        if (string.IsNullOrWhiteSpace(osRelease))
        {
            return null;
        }

        string? id = null, version = null;
        foreach (var line in osRelease.Split('\n'))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var key = line[..equals].Trim();
            var value = line[(equals + 1)..].Trim().Trim('"', '\'');
            if (key == "ID")
            {
                id = value;
            }
            else if (key == "VERSION_ID")
            {
                version = value;
            }
        }

        return Packages.FirstOrDefault(p => p.DistributionId == id && p.VersionId == version);
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != Name)
        {
            return 0;
        }

        lock (Gate)
        {
            if (_handle == 0)
            {
                _handle = Load(
                    Candidates,
                    candidate => NativeLibrary.TryLoad(candidate, assembly, searchPath, out var handle) ? handle : 0,
                    ReadOsRelease());
            }

            return _handle;
        }
    }

    private static string? ReadOsRelease()
    {
        try
        {
            return File.Exists("/etc/os-release") ? File.ReadAllText("/etc/os-release") : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
