using Xunit;

namespace Landslide.TestSupport;

/// <summary>A theory that needs the real patches; skipped with a message naming the folder when they are absent.</summary>
public sealed class RealDataTheoryAttribute : TheoryAttribute
{
    public RealDataTheoryAttribute()
    {
        if (SharedData.Folder is null)
        {
            Skip = SharedData.MissingMessage;
        }
    }
}
