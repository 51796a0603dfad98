namespace Landslide.CommandLine;

/// <summary>The programs' exit codes: 0 success, 2 bad input the user can fix, 1 anything else.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int BadInput = 2;
}
